"""Writes of monitoring: rounds, status reports along their workflow, restore, the event log.

Plain functions that views, admin actions, commands and the API call (`services.open_round`,
`services.save_report` …). Each checks the policy (`policies.py`), raises a `MonitoringError`
with a German message, leaves a history record with the acting user (django-simple-history)
and one `Event` through `log_action`. One module per topic; this package exports them all.
"""

from .audit import log_action
from .carry_forward import carry_forward
from .errors import ConflictError, InvalidData, InvalidTransition, MonitoringError, NotAllowed
from .reminders import send_reminders
from .reports import (
    SUBMITTED_STATES,
    approve_report,
    is_changeable,
    is_open_for,
    last_published_report,
    last_published_reports,
    publish_report,
    restore_version,
    return_report,
    save_report,
    set_step_progress,
    soft_delete_report,
    start_report,
    start_reports,
    submit_report,
)
from .rounds import close_round, open_round, publish_round, reopen_round
from .statuses import DEFAULT_STATUSES, ensure_default_statuses, suggest_continuous

__all__ = [
    "DEFAULT_STATUSES",
    "SUBMITTED_STATES",
    "ConflictError",
    "InvalidData",
    "InvalidTransition",
    "MonitoringError",
    "NotAllowed",
    "approve_report",
    "carry_forward",
    "close_round",
    "ensure_default_statuses",
    "is_changeable",
    "is_open_for",
    "last_published_report",
    "last_published_reports",
    "log_action",
    "open_round",
    "publish_report",
    "publish_round",
    "reopen_round",
    "restore_version",
    "return_report",
    "save_report",
    "send_reminders",
    "set_step_progress",
    "soft_delete_report",
    "start_report",
    "start_reports",
    "submit_report",
    "suggest_continuous",
]
