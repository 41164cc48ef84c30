"""What the public sees of the monitoring: every read goes through `StatusReport.objects`.

The current status of a measure is defined once, by `StatusReportQuerySet.giving_status`;
these functions only shape its rows for pages, files and charts.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

from django.db.models import Max, Min

from plans.models import Measure, Plan

from .models import ReportingRound, StatusOption, StatusReport


def current_statuses(
    plan: Plan, measure_ids: Iterable[int] | None = None, as_of: ReportingRound | None = None
) -> dict[int, StatusReport]:
    """Measure id → the report its current status comes from, with status, round and office."""
    reports = StatusReport.objects.giving_status(plan, as_of, measure_ids).select_related(
        "status", "reporting_round", "organisation"
    )
    return {report.measure_id: report for report in reports.order_by()}


def published_history(measure: Measure) -> list[StatusReport]:
    """Every published report on the measure, newest first: the first gives its current status."""
    return list(
        StatusReport.objects.published()
        .filter(measure=measure)
        .newest_first()
        .select_related("status", "reporting_round", "organisation")
    )


def statuses_of(plan: Plan) -> list[StatusOption]:
    """The plan's statuses in their order."""
    return list(StatusOption.objects.filter(plan=plan).order_by("order", "pk"))


STATUS_COLUMNS: tuple[str, ...] = (
    "number",
    "title",
    "field",
    "status",
    "status_label",
    "progress",
    "round",
    "reporting_date",
    "office",
)


def status_rows(plan: Plan) -> list[dict[str, object]]:
    """One row per measure in number order with its current status (empty without one).

    Read as values, not model instances: the open-data build writes these rows into four
    files, and at the 100× plan building four model instances per measure took most of it.
    """
    current = {
        row[0]: row[1:]
        for row in StatusReport.objects.giving_status(plan)
        .order_by()
        .values_list(
            "measure_id",
            "status__key",
            "status__label",
            "progress",
            "reporting_round__name",
            "reporting_round__reporting_date",
            "organisation__abbreviation",
        )
    }
    rows: list[dict[str, object]] = []
    for pk, number, title, field in (
        Measure.objects.filter(plan=plan)
        .in_number_order()
        .values_list("pk", "number", "title", "home_field")
    ):
        key, label, progress, round_name, reporting_date, office = current.get(
            pk, (None, None, None, "", None, "")
        )
        rows.append(
            {
                "number": number,
                "title": title,
                "field": field,
                "status": key or "",
                "status_label": label or "",
                "progress": "" if progress is None else progress,
                "round": round_name,
                "reporting_date": reporting_date.isoformat() if reporting_date else "",
                "office": office,
            }
        )
    return rows


REPORT_COLUMNS: tuple[str, ...] = (
    "number",
    "title",
    "round",
    "reporting_date",
    "office",
    "status",
    "status_label",
    "progress",
    "summary",
    "next_steps",
)


def published_report_rows(plan: Plan) -> list[dict[str, object]]:
    """Every published report of every round on the plan's current measures, newest first."""
    return list(iter_published_report_rows(plan))


def iter_published_report_rows(
    plan: Plan, *, chunk_size: int = 2000
) -> Iterator[dict[str, object]]:
    """The rows of `published_report_rows`, read in chunks: memory stays flat."""
    reports = (
        StatusReport.objects.published()
        .filter(reporting_round__plan=plan)
        .newest_first()
        .values_list(
            "measure__number",
            "measure__title",
            "reporting_round__name",
            "reporting_round__reporting_date",
            "organisation__abbreviation",
            "status__key",
            "status__label",
            "progress",
            "summary",
            "next_steps",
        )
    )
    for (
        number,
        title,
        round_name,
        date,
        office,
        key,
        label,
        progress,
        summary,
        steps,
    ) in reports.iterator(chunk_size=chunk_size):
        yield {
            "number": number,
            "title": title,
            "round": round_name,
            "reporting_date": date.isoformat(),
            "office": office,
            "status": key or "",
            "status_label": label or "",
            "progress": "" if progress is None else progress,
            "summary": summary,
            "next_steps": steps,
        }


def published_span(plan: Plan) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """When the first and the newest report on the plan were published (None without any)."""
    span = (
        StatusReport.objects.published()
        .filter(reporting_round__plan=plan)
        .aggregate(first=Min("published_at"), last=Max("published_at"))
    )
    return span["first"], span["last"]
