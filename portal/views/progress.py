"""The public progress page (Umsetzungsstand): statuses per field in each reporting round.

Each round shows one horizontal stacked bar per field as server-rendered SVG, a legend with
text and, as the primary accessible content, the same numbers as a table.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from monitoring import reads as monitoring_reads
from monitoring.models import StatusOption
from monitoring.services import DEFAULT_STATUSES
from plans.models import Plan
from portal.caching import public_page

# Statuses with their own colour in static/portal/progress.css; a plan's further statuses
# take one of the "extra" colours there in turn. "none" marks measures without a report.
COLOURED_STATUS_KEYS = frozenset(key for key, _label, _continuous in DEFAULT_STATUSES)
EXTRA_COLOURS = 4
WITHOUT_REPORT = "none"


@dataclass(frozen=True)
class Segment:
    """A part of a bar: one status, its count and its place in percent of the bar's width."""

    colour: str  # the suffix of the CSS class progress-status--…
    label: str
    count: int
    x: str  # SVG attribute values, formatted here: the template would localise a float
    width: str


@dataclass(frozen=True)
class LegendEntry:
    """A colour of the charts with the status it stands for."""

    colour: str
    label: str


@dataclass(frozen=True)
class FieldChart:
    """The bar of one field (or of all fields) in one round."""

    chart_id: str
    number: int
    label: str
    total: int
    segments: list[Segment]
    description: str  # the chart's accessible name: every count in words


@dataclass(frozen=True)
class TableRow:
    """A row of a round's table: one status (or "no published report") across the fields."""

    label: str
    counts: list[int]  # per field, in the order of RoundSection.fields
    all_fields: int
    colour: str = ""  # the status colour, so the row header doubles as the legend


@dataclass(frozen=True)
class RoundSection:
    """A reporting round as the page shows it: a bar per field and the table."""

    name: str
    reporting_date: datetime.date
    anchor: str
    reported: int
    reported_in_round: int
    total: int
    fields: list[FieldChart]
    rows: list[TableRow]
    totals: TableRow


def status_colour(status: StatusOption, position: int) -> str:
    """The colour class suffix of a status: its key if it has a colour, else an extra one."""
    if status.key in COLOURED_STATUS_KEYS:
        return status.key
    return f"extra-{position % EXTRA_COLOURS}"


def _segments(
    colours: list[str], labels: list[str], counts: list[int], total: int
) -> list[Segment]:
    """The non-empty parts of a bar, left to right, in percent of its width."""
    segments = []
    start = 0
    for colour, label, count in zip(colours, labels, counts, strict=True):
        if count and total:
            segments.append(
                Segment(
                    colour=colour,
                    label=label,
                    count=count,
                    x=f"{100 * start / total:.3f}%",
                    width=f"{100 * count / total:.3f}%",
                )
            )
        start += count
    return segments


def _field_chart(
    chart_id: str,
    distribution: monitoring_reads.FieldDistribution,
    heading: str,
    colours: list[str],
    labels: list[str],
) -> FieldChart:
    counts = [*distribution.counts, distribution.without_report]
    parts = ", ".join(f"{label}: {count}" for label, count in zip(labels, counts, strict=True))
    return FieldChart(
        chart_id=chart_id,
        number=distribution.number,
        label=distribution.label,
        total=distribution.total,
        segments=_segments(colours, labels, counts, distribution.total),
        description=_("%(field)s, %(total)s measures: %(parts)s")
        % {"field": heading, "total": distribution.total, "parts": parts},
    )


def _field_heading(plan: Plan, distribution: monitoring_reads.FieldDistribution) -> str:
    name = f"{plan.level_name(1)} {distribution.number}"
    return f"{name}: {distribution.label}" if distribution.label else name


def _round_section(
    plan: Plan,
    distribution: monitoring_reads.RoundDistribution,
    colours: list[str],
    labels: list[str],
) -> RoundSection:
    anchor = f"runde-{distribution.reporting_round.pk}"
    per_field = [[*f.counts, f.without_report] for f in distribution.fields]
    everywhere = [*distribution.all_fields.counts, distribution.all_fields.without_report]
    return RoundSection(
        name=distribution.reporting_round.name,
        reporting_date=distribution.reporting_round.reporting_date,
        anchor=anchor,
        reported=distribution.reported,
        reported_in_round=distribution.reported_in_round,
        total=distribution.all_fields.total,
        fields=[
            _field_chart(f"{anchor}-feld-{f.number}", f, _field_heading(plan, f), colours, labels)
            for f in distribution.fields
        ],
        rows=[
            TableRow(label, [counts[row] for counts in per_field], everywhere[row], colour)
            for row, (colour, label) in enumerate(zip(colours, labels, strict=True))
        ],
        totals=TableRow(
            _("Total"), [f.total for f in distribution.fields], distribution.all_fields.total
        ),
    )


@require_safe
@public_page
def progress(request: HttpRequest, plan: Plan) -> HttpResponse:
    """Statuses per field in every reporting round with a published report, newest first."""
    data = monitoring_reads.status_by_round(plan)
    colours = [status_colour(s, position) for position, s in enumerate(data.statuses)]
    colours.append(WITHOUT_REPORT)
    labels = [s.label for s in data.statuses] + [_("no published report")]
    return render(
        request,
        "portal/progress.html",
        {
            "plan": plan,
            "field_level": plan.level_name(1),
            "legend": [LegendEntry(c, label) for c, label in zip(colours, labels, strict=True)],
            "rounds": [_round_section(plan, d, colours, labels) for d in reversed(data.rounds)],
            "breadcrumbs": [
                (_("Start"), reverse("portal:start")),
                (_("Implementation status"), None),
            ],
        },
    )
