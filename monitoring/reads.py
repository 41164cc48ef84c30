"""What the public portal shows of the monitoring: published reports only, fixed query counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from plans.models import Measure, Plan

from .models import ReportingRound, StatusOption, StatusReport


def _published(plan: Plan):
    return (
        StatusReport.objects.published()
        .filter(reporting_round__plan=plan)
        .select_related("status", "reporting_round", "organisation")
    )


def latest_published(plan: Plan, measure_ids: list[int] | None = None) -> dict[int, StatusReport]:
    """The newest published report per measure (newest round first, then newest publication)."""
    reports = _published(plan).order_by(
        "measure_id", "-reporting_round__reporting_date", "-published_at"
    )
    if measure_ids is not None:
        reports = reports.filter(measure_id__in=measure_ids)
    latest: dict[int, StatusReport] = {}
    for report in reports:
        latest.setdefault(report.measure_id, report)
    return latest


def measure_history(measure: Measure) -> list[StatusReport]:
    """Every published report on the measure, newest round first (one query)."""
    return list(
        _published(measure.plan)
        .filter(measure=measure)
        .order_by("-reporting_round__reporting_date", "organisation__abbreviation")
    )


def latest_published_round(plan: Plan) -> ReportingRound | None:
    """The newest round with a published report."""
    return (
        ReportingRound.objects.filter(
            plan=plan, reports__state=StatusReport.State.PUBLISHED, reports__is_deleted=False
        )
        .order_by("-reporting_date")
        .first()
    )


def measures_with_status(plan: Plan, status_key: str):
    """Ids of measures whose newest published report has the status (a subquery)."""
    latest_round = latest_published_round(plan)
    return (
        _published(plan)
        .filter(reporting_round=latest_round, status__key=status_key)
        .values("measure_id")
    )


@dataclass
class StatusOverview:
    """Measures per field by their newest published status: a table (and chart data)."""

    statuses: list[StatusOption]
    rows: list[tuple[int, list[int], int, int]]  # field, count per status, none, total


def status_overview(plan: Plan) -> StatusOverview:
    """Count each field's measures (by home field) per newest published status (3 queries)."""
    statuses = list(StatusOption.objects.filter(plan=plan).order_by("order"))
    latest = latest_published(plan)
    counts: Counter[tuple[int, int | None]] = Counter()
    totals: Counter[int] = Counter()
    for measure_id, home_field in Measure.objects.filter(plan=plan).values_list("pk", "home_field"):
        report = latest.get(measure_id)
        counts[(home_field, report.status_id if report and report.status_id else None)] += 1
        totals[home_field] += 1
    rows = [
        (field, [counts[(field, s.pk)] for s in statuses], counts[(field, None)], totals[field])
        for field in sorted(totals)
    ]
    return StatusOverview(statuses=statuses, rows=rows)
