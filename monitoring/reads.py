"""What the public portal shows of the monitoring: published reports only, fixed query counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F

from plans.models import Measure, Node, Organisation, Plan

from .models import ReportingRound, StatusOption, StatusReport


def _published(plan: Plan):
    return (
        StatusReport.objects.published()
        .filter(reporting_round__plan=plan)
        .select_related("status", "reporting_round", "organisation")
    )


@dataclass(frozen=True, slots=True)
class LatestStatus:
    """What lists show of a measure's newest published report."""

    status_id: int | None
    label: str
    progress: int | None


def _published_reports_sql(columns: str) -> str:
    """SELECT of published reports of a plan with their round, status and office.

    The conditions of `StatusReport.objects.published()` in plain SQL (tests hold the two
    equal): compiling these small queries in the ORM cost the portal's lists and measure
    page 3–4 ms each on PostgreSQL, three times the queries themselves. Parameters: the
    published state and the plan's id.
    """
    q = connection.ops.quote_name
    return (
        f"SELECT {columns} FROM {q(StatusReport._meta.db_table)} r "
        f"JOIN {q(Measure._meta.db_table)} m ON m.id = r.measure_id "
        f"JOIN {q(ReportingRound._meta.db_table)} rr ON rr.id = r.reporting_round_id "
        f"JOIN {q(Organisation._meta.db_table)} o ON o.id = r.organisation_id "
        f"LEFT JOIN {q(StatusOption._meta.db_table)} s ON s.id = r.status_id "
        f"WHERE NOT r.is_deleted AND m.deleted_at IS NULL AND r.state = %s AND rr.plan_id = %s"
    )


def _rows(sql: str, params: list[object]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def latest_statuses(plan: Plan, measure_ids: list[int] | None = None) -> dict[int, LatestStatus]:
    """Status and progress of the newest published report per measure (one narrow query).

    Newest round first, then newest publication.
    """
    sql = _published_reports_sql("r.measure_id, r.status_id, s.label, r.progress")
    params: list[object] = [StatusReport.State.PUBLISHED.value, plan.pk]
    if measure_ids is not None:
        if not measure_ids:
            return {}
        sql += f" AND r.measure_id IN ({', '.join(['%s'] * len(measure_ids))})"
        params += measure_ids
    sql += " ORDER BY r.measure_id, rr.reporting_date DESC, r.published_at DESC"
    latest: dict[int, LatestStatus] = {}
    for measure_id, status_id, label, progress in _rows(sql, params):
        if measure_id not in latest:
            latest[measure_id] = LatestStatus(status_id, label or "", progress)
    return latest


@dataclass(frozen=True, slots=True)
class PublishedReport:
    """What the public measure page shows of one published report."""

    round_name: str
    office: str
    status_label: str
    progress: int | None
    summary: str
    next_steps: str


def measure_history(measure: Measure) -> list[PublishedReport]:
    """Every published report on the measure, newest round first (one query)."""
    sql = _published_reports_sql(
        "rr.name, o.abbreviation, s.label, r.progress, r.summary, r.next_steps"
    )
    sql += " AND r.measure_id = %s ORDER BY rr.reporting_date DESC, o.abbreviation"
    rows = _rows(sql, [StatusReport.State.PUBLISHED.value, measure.plan_id, measure.pk])
    return [
        PublishedReport(name, office, label or "", progress, summary, next_steps)
        for name, office, label, progress, summary, next_steps in rows
    ]


def latest_published_round(plan: Plan) -> ReportingRound | None:
    """The newest round with a published report."""
    return (
        ReportingRound.objects.filter(
            plan=plan,
            reports__state=StatusReport.State.PUBLISHED,
            reports__is_deleted=False,
            reports__measure__deleted_at__isnull=True,
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
    latest = latest_statuses(plan)
    counts: Counter[tuple[int, int | None]] = Counter()
    totals: Counter[int] = Counter()
    for measure_id, home_field in Measure.objects.filter(plan=plan).values_list("pk", "home_field"):
        report = latest.get(measure_id)
        counts[(home_field, report.status_id if report else None)] += 1
        totals[home_field] += 1
    rows = [
        (field, [counts[(field, s.pk)] for s in statuses], counts[(field, None)], totals[field])
        for field in sorted(totals)
    ]
    return StatusOverview(statuses=statuses, rows=rows)


@dataclass(frozen=True)
class FieldDistribution:
    """A field's measures in one round: how many per status, how many without a report."""

    number: int
    label: str  # the level-1 node's label; empty if the plan has no node for the number
    counts: tuple[int, ...]  # per status, in the order of StatusByRound.statuses
    without_report: int
    total: int


@dataclass(frozen=True)
class RoundDistribution:
    """The distribution of statuses per field in one reporting round."""

    reporting_round: ReportingRound
    fields: list[FieldDistribution]
    all_fields: FieldDistribution  # the sums over every field (number 0, no label)

    @property
    def reported(self) -> int:
        """How many measures have a published status in this round."""
        return self.all_fields.total - self.all_fields.without_report


@dataclass(frozen=True)
class StatusByRound:
    """Statuses per field per reporting round, for the public progress page."""

    statuses: list[StatusOption]
    rounds: list[RoundDistribution]  # rounds with a published report, oldest first


def status_by_round(plan: Plan) -> StatusByRound:
    """Count each field's measures per status in every round with a published report (5 queries).

    Which report counts: per measure and round, its published, not deleted report there; if
    several lead offices published one, the most recently published counts (ties: the one
    created last). A measure counts in its home field. Without such a report (or if that report
    has no status, which the workflow does not allow) it counts as "without report". Totals are
    the plan's measures today, the same in every round.
    """
    statuses = list(StatusOption.objects.filter(plan=plan).order_by("order", "pk"))
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
    reports = (
        StatusReport.objects.published()
        .filter(reporting_round__plan=plan)
        .order_by(
            "reporting_round_id", "measure_id", F("published_at").desc(nulls_last=True), "-pk"
        )
        .values_list("reporting_round_id", "measure_id", "measure__home_field", "status_id")
    )
    counted: set[tuple[int, int]] = set()  # (round, measure) whose report has been counted
    counts: Counter[tuple[int, int, int]] = Counter()  # (round, field, status position)
    for round_id, measure_id, home_field, status_id in reports:
        if (round_id, measure_id) in counted:
            continue  # an earlier published report of another lead office in the same round
        counted.add((round_id, measure_id))
        if status_id in status_position:
            counts[(round_id, home_field, status_position[status_id])] += 1
    rounds_with_reports = {round_id for round_id, _measure_id in counted}
    rounds = ReportingRound.objects.filter(plan=plan).order_by("reporting_date", "opened_at", "pk")
    numbers = sorted(set(totals) | set(labels))

    def distribution(
        round_id: int, number: int, label: str, fields: list[int]
    ) -> FieldDistribution:
        per_status = tuple(
            sum(counts[(round_id, field, position)] for field in fields)
            for position in range(len(statuses))
        )
        total = sum(totals.get(field, 0) for field in fields)
        return FieldDistribution(number, label, per_status, total - sum(per_status), total)

    return StatusByRound(
        statuses=statuses,
        rounds=[
            RoundDistribution(
                reporting_round=reporting_round,
                fields=[
                    distribution(reporting_round.pk, n, labels.get(n, ""), [n]) for n in numbers
                ],
                all_fields=distribution(reporting_round.pk, 0, "", numbers),
            )
            for reporting_round in rounds
            if reporting_round.pk in rounds_with_reports
        ],
    )
