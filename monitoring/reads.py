"""What the public sees of the monitoring: every read goes through `StatusReport.objects`.

The current status of a measure is defined once, by `StatusReportQuerySet.giving_status`;
these functions only shape its rows for pages, files and charts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from plans.models import Measure, Node, Plan

from .models import ReportingRound, StatusOption, StatusReport


def current_statuses(
    plan: Plan, measure_ids: Iterable[int] | None = None, as_of: ReportingRound | None = None
) -> dict[int, StatusReport]:
    """Measure id → the report its current status comes from, with status, round and office."""
    reports = StatusReport.objects.giving_status(plan, as_of).select_related(
        "status", "reporting_round", "organisation"
    )
    if measure_ids is not None:
        reports = reports.filter(measure_id__in=list(measure_ids))
    return {report.measure_id: report for report in reports.order_by()}


def measures_with_status(plan: Plan, status_key: str) -> QuerySet[StatusReport]:
    """Ids of the measures whose current status has the key (a subquery: `pk__in=`)."""
    return (
        StatusReport.objects.giving_status(plan)
        .filter(status__key=status_key)
        .order_by()
        .values("measure_id")
    )


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


@dataclass
class StatusOverview:
    """Measures per field by their current status: a table (and chart data)."""

    statuses: list[StatusOption]
    rows: list[tuple[int, list[int], int, int]]  # field, count per status, none, total


def status_overview(plan: Plan) -> StatusOverview:
    """Count each field's measures (by home field) per current status (3 queries)."""
    statuses = statuses_of(plan)
    status_of = dict(
        StatusReport.objects.giving_status(plan).order_by().values_list("measure_id", "status_id")
    )
    counts: Counter[tuple[int, int | None]] = Counter()
    totals: Counter[int] = Counter()
    for measure_id, home_field in Measure.objects.filter(plan=plan).values_list("pk", "home_field"):
        counts[(home_field, status_of.get(measure_id))] += 1
        totals[home_field] += 1
    rows = [
        (field, [counts[(field, s.pk)] for s in statuses], counts[(field, None)], totals[field])
        for field in sorted(totals)
    ]
    return StatusOverview(statuses=statuses, rows=rows)


@dataclass(frozen=True)
class FieldDistribution:
    """A field's measures as of one round: how many per status, how many without a status."""

    number: int
    label: str  # the level-1 node's label; empty if the plan has no node for the number
    counts: tuple[int, ...]  # per status, in the order of StatusByRound.statuses
    without_report: int
    total: int


@dataclass(frozen=True)
class RoundDistribution:
    """The distribution of current statuses per field as it stood in one reporting round."""

    reporting_round: ReportingRound
    fields: list[FieldDistribution]
    all_fields: FieldDistribution  # the sums over every field (number 0, no label)
    reported_in_round: int  # of the measures with a status, how many were reported in this round

    @property
    def reported(self) -> int:
        """How many measures have a published status as of this round."""
        return self.all_fields.total - self.all_fields.without_report


@dataclass(frozen=True)
class StatusByRound:
    """Statuses per field per reporting round, for the public progress page."""

    statuses: list[StatusOption]
    rounds: list[RoundDistribution]  # rounds with a published report, oldest first


def status_by_round(plan: Plan) -> StatusByRound:
    """Each field's measures per current status as of every round with a published report.

    A measure counts in its home field with the status of `giving_status(plan, as_of=round)`:
    a measure not reported in a round keeps the status of its last report before it. Totals
    are the plan's measures today, the same in every round. Queries: 4 + one per round.
    """
    statuses = statuses_of(plan)
    status_position = {status.pk: position for position, status in enumerate(statuses)}
    labels = {
        int(key): label
        for key, label in Node.objects.fields().filter(plan=plan).values_list("key", "label")
        if key.isdigit()
    }
    totals: dict[int, int] = dict(
        Measure.objects.filter(plan=plan)
        .order_by()
        .values_list("home_field")
        .annotate(count=Count("pk"))
        .values_list("home_field", "count")
    )
    rounds = ReportingRound.objects.filter(
        plan=plan, pk__in=StatusReport.objects.published().values("reporting_round_id")
    ).newest_first()
    numbers = sorted(set(totals) | set(labels))
    distributions = []
    for reporting_round in reversed(list(rounds)):
        counts: Counter[tuple[int, int]] = Counter()  # (field, status position)
        reported_in_round = 0
        for round_id, home_field, status_id in (
            StatusReport.objects.giving_status(plan, as_of=reporting_round)
            .order_by()
            .values_list("reporting_round_id", "measure__home_field", "status_id")
        ):
            if status_id in status_position:
                counts[(home_field, status_position[status_id])] += 1
                reported_in_round += round_id == reporting_round.pk

        def distribution(number: int, label: str, fields: list[int]) -> FieldDistribution:
            per_status = tuple(
                sum(counts[(field, position)] for field in fields)  # noqa: B023 (used at once)
                for position in range(len(statuses))
            )
            total = sum(totals.get(field, 0) for field in fields)
            return FieldDistribution(number, label, per_status, total - sum(per_status), total)

        distributions.append(
            RoundDistribution(
                reporting_round=reporting_round,
                fields=[distribution(n, labels.get(n, ""), [n]) for n in numbers],
                all_fields=distribution(0, "", numbers),
                reported_in_round=reported_in_round,
            )
        )
    return StatusByRound(statuses=statuses, rounds=distributions)


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
    """One row per measure in number order with its current status (empty without one)."""
    current = current_statuses(plan)
    rows: list[dict[str, object]] = []
    for measure in Measure.objects.filter(plan=plan).in_number_order():
        report = current.get(measure.pk)
        status = report.status if report else None
        rows.append(
            {
                "number": measure.number,
                "title": measure.title,
                "field": measure.home_field,
                "status": status.key if status else "",
                "status_label": status.label if status else "",
                "progress": report.progress if report and report.progress is not None else "",
                "round": report.reporting_round.name if report else "",
                "reporting_date": report.reporting_round.reporting_date.isoformat()
                if report
                else "",
                "office": report.organisation.abbreviation if report else "",
            }
        )
    return rows
