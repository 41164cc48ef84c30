"""How a list shows a measure's current status: a badge with its text, progress and round.

Which report gives the status is decided by `monitoring.reads.current_statuses` (the rule);
this module only turns that report into what a list cell shows (the portal's lists and the
Gemeinde page, with the partial `monitoring/partials/status_cell.html`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from monitoring import reads as monitoring_reads
from monitoring.models import StatusReport
from plans.models import Measure, Plan

# KERN badge variants for the default statuses; colour only repeats what the text says.
BADGE_VARIANTS = {
    "implemented": "success",
    "in_progress": "info",
    "in_preparation": "info",
    "continuous": "info",
    "delayed": "warning",
    "deferred": "warning",
    "dropped": "danger",
}


@dataclass(frozen=True, slots=True)
class StatusCell:
    """A measure's current status as lists show it: label, progress and the round it is from."""

    key: str  # empty without a published report
    label: str
    progress: int | None
    round_name: str

    @classmethod
    def of(cls, report: StatusReport | None) -> StatusCell:
        """The cell of the report giving the status (or of none: "no report yet")."""
        if report is None or report.status is None:
            return cls("", _("no report yet"), None, "")
        return cls(
            report.status.key, report.status.label, report.progress, report.reporting_round.name
        )

    @property
    def text(self) -> str:
        """Label with progress, e.g. "in Umsetzung (40 %)"."""
        return self.label if self.progress is None else f"{self.label} ({self.progress} %)"

    @property
    def badge_class(self) -> str:
        """The KERN badge classes of the status."""
        variant = BADGE_VARIANTS.get(self.key)
        return f"kern-badge kern-badge--{variant}" if variant else "kern-badge"


def status_cells(plan: Plan, measure_ids: Iterable[int]) -> dict[int, StatusCell]:
    """Measure id → its status cell, for every given id (one query)."""
    ids = list(measure_ids)
    current = monitoring_reads.current_statuses(plan, ids)
    return {pk: StatusCell.of(current.get(pk)) for pk in ids}


@dataclass(frozen=True, slots=True)
class MeasureItem:
    """A measure in a list, with its status cell."""

    measure: Measure
    status: StatusCell


def with_statuses(plan: Plan, measures: Iterable[Measure]) -> list[MeasureItem]:
    """The measures, in their order, each with its status cell (one query)."""
    measures = list(measures)
    cells = status_cells(plan, {m.pk for m in measures})
    return [MeasureItem(m, cells[m.pk]) for m in measures]
