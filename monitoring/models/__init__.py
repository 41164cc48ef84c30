"""Models of implementation monitoring; also puts the catalogue under the audit trail."""

from simple_history import register

from plans.models import Measure, Node, Organisation, Placement

from .comment import Comment
from .event import Event
from .report import StatusReport, StepProgress
from .round import ClosedRoundError, ReportingRound, StatusOption

# The catalogue's audit trail lives here, so `plans` stays free of monitoring concerns; its
# history tables (monitoring_historicalmeasure, …) are created by monitoring's migrations.
# Bulk writes of the document import are not recorded row by row: the import report is their
# record.
for _catalogue_model in (Measure, Placement, Organisation, Node):
    register(_catalogue_model, app="monitoring")

__all__ = [
    "ClosedRoundError",
    "Comment",
    "Event",
    "ReportingRound",
    "StatusOption",
    "StatusReport",
    "StepProgress",
]
