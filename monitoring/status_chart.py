"""The status charts: one definition for the portal's pages and the printed report.

A chart is a horizontal stacked bar per group (a roll-up of `rollups.py`), drawn as inline
SVG by `templates/monitoring/partials/status_bars.html` with the colours as presentation
attributes (the pages' CSP forbids style attributes; WeasyPrint reads them as well). Colour
never carries meaning alone: the legend names every colour, each bar has an accessible name
with every count, and each chart stands beside a table with the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import StatusOption
from .rollups import Rollup, RollupTable

# The default statuses' colours (monitoring.services.DEFAULT_STATUSES' keys); each has at
# least 3:1 contrast against white (WCAG 1.4.11), tests/test_status_chart.py checks it.
STATUS_COLOURS = {
    "not_started": "#6b6e80",
    "in_preparation": "#9a6700",
    "in_progress": "#2044aa",
    "implemented": "#1b6e35",
    "continuous": "#00707a",
    "delayed": "#b3261e",
    "deferred": "#7b3fa0",
    "dropped": "#2b2d36",
}
# A plan's further statuses take these in turn.
EXTRA_COLOURS = ("#8a4b2a", "#a0306e", "#4d6a1f", "#3d4fa0")
# No published report: a light track; the bar's dark frame carries the contrast.
WITHOUT_REPORT_COLOUR = "#e9eaf0"
FRAME_COLOUR = "#6b6e80"


@dataclass(frozen=True)
class LegendEntry:
    """A colour of the charts with the status it stands for."""

    colour: str
    label: str


@dataclass(frozen=True)
class Segment:
    """A part of a bar: one status, its count and its place in percent of the bar's width."""

    colour: str
    label: str
    count: int
    x: str  # SVG attribute values, formatted here: a template would localise a float
    width: str


@dataclass(frozen=True)
class StatusBar:
    """The bar of one group: its heading, its parts and an accessible name with every count."""

    chart_id: str
    heading: str
    total: int
    segments: list[Segment]
    description: str


def status_colour(status: StatusOption, position: int) -> str:
    """A status's colour: its own for the default statuses, else an extra one by position."""
    return STATUS_COLOURS.get(status.key) or EXTRA_COLOURS[position % len(EXTRA_COLOURS)]


def legend(statuses: list[StatusOption]) -> list[LegendEntry]:
    """Every status's colour and label, then "no published report"."""
    entries = [LegendEntry(status_colour(s, n), s.label) for n, s in enumerate(statuses)]
    return [*entries, LegendEntry(WITHOUT_REPORT_COLOUR, _("no published report"))]


def status_bar(chart_id: str, heading: str, table: RollupTable, rollup: Rollup) -> StatusBar:
    """The bar of one roll-up of the table."""
    entries = legend(table.statuses)
    counts = [*rollup.counts, rollup.without_report]
    segments = []
    start = 0
    for entry, count in zip(entries, counts, strict=True):
        if count and rollup.total:
            segments.append(
                Segment(
                    colour=entry.colour,
                    label=entry.label,
                    count=count,
                    x=f"{100 * start / rollup.total:.3f}%",
                    width=f"{100 * count / rollup.total:.3f}%",
                )
            )
        start += count
    parts = ", ".join(f"{e.label}: {n}" for e, n in zip(entries, counts, strict=True))
    return StatusBar(
        chart_id=chart_id,
        heading=heading,
        total=rollup.total,
        segments=segments,
        description=_("%(group)s, %(total)s measures: %(parts)s")
        % {"group": heading, "total": rollup.total, "parts": parts},
    )


@dataclass(frozen=True)
class TableRow:
    """A row of the numbers table: one status (or "no published report") across the groups."""

    colour: str
    label: str
    counts: list[int]  # per group, in the order of the table's groups
    whole_plan: int


def table_rows(table: RollupTable) -> list[TableRow]:
    """The chart's numbers as table rows: one per status and one for "no published report"."""
    entries = legend(table.statuses)
    rows = []
    for index, entry in enumerate(entries):
        if index < len(table.statuses):
            counts = [group.counts[index] for group in table.groups]
            whole = table.whole_plan.counts[index]
        else:
            counts = [group.without_report for group in table.groups]
            whole = table.whole_plan.without_report
        rows.append(TableRow(entry.colour, entry.label, counts, whole))
    return rows
