"""Opening, closing and publishing reporting rounds."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring import policies
from monitoring.models import Event, ReportingRound, StatusReport
from plans.models import Plan
from plans.services import mark_statuses_changed

from .audit import log_action
from .errors import InvalidData, InvalidTransition, NotAllowed
from .reports import publish_report, require_open
from .statuses import ensure_default_statuses


@transaction.atomic
def open_round(
    user: Any,
    plan: Plan,
    name: str,
    reporting_date: datetime.date,
    deadline: datetime.date,
    *,
    is_demo: bool = False,
) -> ReportingRound:
    """Open a reporting round (and give the plan its default statuses if it has none).

    A demo round (`is_demo`) holds example data that never pre-fills a real report.
    """
    if not policies.can_open_round(user, plan):
        raise NotAllowed(_("Only the coordination can open a reporting round."))
    name = name.strip()
    if not name:
        raise InvalidData(_("The round needs a name."), {"name": [_("This field is required.")]})
    if deadline < reporting_date:
        raise InvalidData(
            _("The deadline cannot be before the reporting date."),
            {"deadline": [_("The deadline cannot be before the reporting date.")]},
        )
    if ReportingRound.objects.filter(plan=plan, name=name).exists():
        raise InvalidData(
            _("A reporting round “%(name)s” already exists.") % {"name": name},
            {"name": [_("This name is already taken.")]},
        )
    ensure_default_statuses(plan)
    reporting_round = ReportingRound(
        plan=plan,
        name=name,
        reporting_date=reporting_date,
        deadline=deadline,
        opened_by=user,
        is_demo=is_demo,
    )
    reporting_round._history_user = user
    reporting_round.save()
    log_action(Event.Kind.ROUND_OPENED, user=user, plan=plan, reporting_round=reporting_round)
    return reporting_round


@transaction.atomic
def close_round(user: Any, reporting_round: ReportingRound) -> ReportingRound:
    """Close a round: nothing in it can change any more, for anyone, until it is reopened.

    Its published reports become a citable state („Stand: Monitoring 2026“).
    """
    if not policies.can_close_round(user, reporting_round):
        raise NotAllowed(_("Only the coordination can close a reporting round."))
    if not reporting_round.is_open:
        raise InvalidTransition(_("The reporting round is already closed."))
    reporting_round.state = ReportingRound.State.CLOSED
    reporting_round.closed_at = timezone.now()
    reporting_round._history_user = user
    reporting_round.save()
    # The public pages show the closed rounds (the headline, /berichte/, the progress page).
    mark_statuses_changed(reporting_round.plan_id, [])
    log_action(
        Event.Kind.ROUND_CLOSED,
        user=user,
        plan=reporting_round.plan,
        reporting_round=reporting_round,
    )
    return reporting_round


# The most characters a reason for reopening may have.
REOPEN_REASON_LIMIT = 2000


@transaction.atomic
def reopen_round(user: Any, reporting_round: ReportingRound, reason: str) -> ReportingRound:
    """Reopen a closed round, saying why: the offices can report in it again.

    The round keeps when, by whom and why it was last reopened (so a round closed again shows
    it was amended); each reopening is an event with the reason and a history row.
    """
    if not policies.can_reopen_round(user, reporting_round):
        raise NotAllowed(_("Only the coordination can reopen a reporting round."))
    if reporting_round.is_open:
        raise InvalidTransition(_("The reporting round is open; there is nothing to reopen."))
    reason = reason.strip()
    if not reason:
        raise InvalidData(
            _("Say why the round is reopened."), {"reason": [_("This field is required.")]}
        )
    if len(reason) > REOPEN_REASON_LIMIT:
        message = _("Please shorten the reason to at most %(limit)s characters.") % {
            "limit": REOPEN_REASON_LIMIT
        }
        raise InvalidData(message, {"reason": [message]})
    reporting_round.state = ReportingRound.State.OPEN
    reporting_round.reopened_at = timezone.now()
    reporting_round.reopened_by = user
    reporting_round.reopen_reason = reason
    reporting_round._history_user = user
    reporting_round._change_reason = reason
    reporting_round.save()
    mark_statuses_changed(reporting_round.plan_id, [])  # no longer a closed state to show
    log_action(
        Event.Kind.ROUND_REOPENED,
        user=user,
        plan=reporting_round.plan,
        reporting_round=reporting_round,
        data={"reason": reason},
    )
    return reporting_round


@transaction.atomic
def publish_round(user: Any, reporting_round: ReportingRound) -> list[StatusReport]:
    """Publish every approved report of the round; return the reports published."""
    if not policies.can_publish(user, reporting_round.plan_id):
        raise NotAllowed(_("Only the coordination can publish a report."))
    require_open(reporting_round)
    approved = list(
        StatusReport.objects.current()
        .filter(reporting_round=reporting_round, state=StatusReport.State.APPROVED)
        .select_related("reporting_round__plan", "measure", "organisation")
    )
    return [publish_report(user, report) for report in approved]
