"""How a list shows a measure's current status: a badge with its text, progress and round.

Which report gives the status is decided by `StatusReport.objects.giving_status` (the rule);
this module only turns that report into what a list cell shows (the portal's lists and the
Gemeinde page print `StatusCell.html`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

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
    def none_yet(cls) -> StatusCell:
        """The cell of a measure without a published report with a status."""
        return cls("", _("no report yet"), None, "")

    @property
    def text(self) -> str:
        """Label with progress, e.g. "in Umsetzung (40 %)"."""
        return self.label if self.progress is None else f"{self.label} ({self.progress} %)"

    @property
    def badge_class(self) -> str:
        """The KERN badge classes of the status."""
        variant = BADGE_VARIANTS.get(self.key)
        return f"kern-badge kern-badge--{variant}" if variant else "kern-badge"

    @property
    def html(self) -> SafeString:
        """The cell's markup: the badge with its text, the progress and the round.

        One place for the markup of every list, whether its rows are made in a template or
        in Python.
        """
        parts = [
            format_html(
                '<span class="{} kern-badge--small"><span class="kern-label">{}</span></span>',
                self.badge_class,
                self.label,
            )
        ]
        if self.progress is not None:
            parts.append(
                format_html(' <span class="portal-status__progress">{} %</span>', self.progress)
            )
        if self.round_name:
            as_of = _("as of %(round)s") % {"round": self.round_name}
            parts.append(format_html(' <span class="portal-status__round">{}</span>', as_of))
        # Every part is escaped by format_html above.
        return format_html('<span class="portal-status">{}</span>', mark_safe("".join(parts)))


def status_cells(plan: Plan, measure_ids: Iterable[int]) -> dict[int, StatusCell]:
    """Measure id → its status cell, for every given id (one query).

    Reads the fields a cell shows from the reports giving the status (the rule), not whole
    reports: half the time of a list's 50 cells went to building report instances.
    """
    ids = list(measure_ids)
    rows = (
        StatusReport.objects.giving_status(plan, None, ids)
        .order_by()
        .values_list(
            "measure_id", "status__key", "status__label", "progress", "reporting_round__name"
        )
    )
    cells = {
        measure_id: StatusCell(key, label, progress, round_name)
        for measure_id, key, label, progress, round_name in rows
        if key is not None
    }
    return {pk: cells.get(pk) or StatusCell.none_yet() for pk in ids}


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
