"""The public progress page (Umsetzungsstand): statuses per field in each reporting round.

Each round shows one horizontal stacked bar per field (monitoring's status chart, the same
the printed report draws), a legend with text and, as the primary accessible content, the
same numbers as a table. The counts are monitoring's roll-ups as of each round.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from monitoring import rollups, status_chart
from plans.models import Node, Plan
from portal import trends
from portal.caching import public_page


@dataclass(frozen=True)
class Column:
    """A field as a column of the table: its number and label."""

    number: str
    label: str


@dataclass(frozen=True)
class RoundSection:
    """A reporting round as the page shows it: a bar per field and the table."""

    name: str
    reporting_date: datetime.date
    anchor: str
    reported: int
    reported_in_round: int
    total: int
    columns: list[Column]
    bars: list[status_chart.StatusBar]
    rows: list[status_chart.TableRow]
    totals: list[int]


def _field_heading(plan: Plan, number: str, label: str) -> str:
    name = f"{plan.level_name(1)} {number}"
    return f"{name}: {label}" if label else name


def _round_section(plan: Plan, data: rollups.RoundRollups, labels: dict[str, str]) -> RoundSection:
    anchor = f"runde-{data.reporting_round.pk}"
    table = data.table
    return RoundSection(
        name=data.reporting_round.name,
        reporting_date=data.reporting_round.reporting_date,
        anchor=anchor,
        reported=table.whole_plan.reported,
        reported_in_round=data.reported_in_round,
        total=table.whole_plan.total,
        columns=[Column(g.value, labels.get(g.value, "")) for g in table.groups],
        bars=[
            status_chart.status_bar(
                f"{anchor}-feld-{g.value}",
                _field_heading(plan, g.value, labels.get(g.value, "")),
                table,
                g,
            )
            for g in table.groups
        ],
        rows=status_chart.table_rows(table),
        totals=[g.total for g in table.groups],
    )


@require_safe
@public_page
def progress(request: HttpRequest, plan: Plan) -> HttpResponse:
    """Statuses per field in every reporting round with a published report, newest first."""
    data = rollups.rollups_by_round(plan, rollups.Facet.FIELD)
    by_goal = rollups.rollups_by_round(plan, rollups.Facet.GOAL)
    labels = dict(Node.objects.fields().filter(plan=plan).values_list("key", "label"))
    goal_headings = {
        key: f"{plan.level_name(2)} {code}: {label}"
        for key, code, label in Node.objects.filter(plan=plan, level=2).values_list(
            "key", "code", "label"
        )
    }
    statuses = data[0].table.statuses if data else []
    return render(
        request,
        "portal/progress.html",
        {
            "plan": plan,
            "field_level": plan.level_name(1),
            "goal_level": plan.level_name(2),
            "legend": status_chart.legend(statuses),
            "rounds": [_round_section(plan, d, labels) for d in reversed(data)],
            "status_labels": [entry.label for entry in status_chart.legend(statuses)],
            "plan_trend": trends.whole_plan_trend(_("All measures"), data),
            "field_trends": trends.group_trends(
                data,
                {v: _field_heading(plan, v, label) for v, label in labels.items()},
                "verlauf-feld",
            ),
            "goal_trends": trends.group_trends(by_goal, goal_headings, "leitziel"),
            "breadcrumbs": [
                (_("Start"), reverse("portal:start")),
                (_("Implementation status"), None),
            ],
        },
    )
