"""What a progress report (Umsetzungsbericht) of a reporting round contains.

`build_report` gathers it through monitoring's named reads only: each measure's status as of
the round is `StatusReport.objects.giving_status(plan, as_of=round)`, every count is a roll-up
of `monitoring.rollups` and every chart is `monitoring.status_chart` (the portal's charts).
The templates of this app only lay it out. The public report holds published reports only;
`internal=True` adds obstacles and the round's unpublished reports (draft … approved).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring import rollups, status_chart
from monitoring.models import ReportingRound, StatusOption, StatusReport
from monitoring.rollups import Facet, RollupTable
from plans.models import Measure, MeasureFacet, Node, Plan

from .facts import FactBlock, MeasureCatalogue, fact_anchor, fact_block

FIELD_COLOURS = frozenset({"blue", "red", "green"})


@dataclass(frozen=True)
class ChartRow:
    """A row of a chart's numbers table: one group (or the whole plan) across the statuses."""

    heading: str
    counts: list[int]  # per legend entry: the statuses, then "no published report"
    total: int


@dataclass(frozen=True)
class Chart:
    """A status chart of a facet's groups: a bar per group, the legend's colours and its table.

    The table has a row per group and a column per status (the numbers of
    `status_chart.table_rows`, turned so that ten Leitziele fit the width of A4).
    """

    chart_id: str
    caption: str
    bars: list[status_chart.StatusBar]
    rows: list[ChartRow]
    whole_plan: ChartRow


@dataclass(frozen=True)
class StatusChange:
    """A measure whose status changed since the previous round: old → new."""

    measure: Measure
    before: StatusOption | None
    after: StatusOption | None


@dataclass(frozen=True)
class KeyProjectLine:
    """A key project (SV) with its measures and their statuses as of the round."""

    code: str
    bar: status_chart.StatusBar
    measures: list[tuple[Measure, StatusReport | None]]


@dataclass(frozen=True)
class CrossReference:
    """A measure placed in a Leitziel whose fact block stands under its first Leitziel."""

    measure: Measure
    anchor: str
    home_goal: str


@dataclass
class GoalSection:
    """A Leitziel: its bar, the fact blocks of the measures at home there, the references."""

    code: str
    label: str
    anchor: str
    bar: status_chart.StatusBar | None
    blocks: list[FactBlock] = field(default_factory=list)
    references: list[CrossReference] = field(default_factory=list)


@dataclass
class FieldSection:
    """A Handlungsfeld in its colour with its bar and Leitziele."""

    number: str
    label: str
    colour: str
    anchor: str
    bar: status_chart.StatusBar | None
    goals: list[GoalSection] = field(default_factory=list)


@dataclass(frozen=True)
class PriorityRow:
    """A priority level with its measures' counts per status (a row of priority × status)."""

    label: str
    counts: list[int]
    without_report: int
    total: int


@dataclass
class ProgressReport:
    """Everything the report shows; read by the templates, nothing is computed there."""

    plan: Plan
    reporting_round: ReportingRound
    internal: bool
    issued: datetime.date
    field_level: str
    goal_level: str
    statuses: list[StatusOption]
    legend: list[status_chart.LegendEntry]
    whole_plan: rollups.Rollup
    reported_in_round: int
    previous_round: ReportingRound | None
    previous_whole_plan: rollups.Rollup | None
    whole_plan_rows: list[tuple[str, str, int | None, int]]  # colour, label, before, now
    field_chart: Chart
    goal_chart: Chart
    priority_rows: list[PriorityRow]
    changes: list[StatusChange]
    key_projects: list[KeyProjectLine]
    fields: list[FieldSection]
    rounds: list[ReportingRound]  # the rounds up to this one, newest first (the annex)
    # Of the statuses reported in this round, how many were carried forward unchanged, per
    # status (label, count; statuses with none left out) and in all.
    carried_forward: list[tuple[str, int]]
    licence: str
    licence_url: str

    @property
    def title(self) -> str:
        """The document's title, e.g. "Umsetzungsbericht Monitoring 2026"."""
        return _("Progress report %(round)s") % {"round": self.reporting_round.name}

    @property
    def share_reported(self) -> int:
        """Percent of the plan's measures with a status (rounded)."""
        return round(100 * self.whole_plan.share_reported)


def previous_round(reporting_round: ReportingRound) -> ReportingRound | None:
    """The closed round before this one (the comparison of "what changed")."""
    return (
        ReportingRound.objects.up_to(reporting_round)
        .closed()
        .filter(is_demo=False)
        .exclude(pk=reporting_round.pk)
        .newest_first()
        .first()
    )


def _chart(chart_id: str, caption: str, table: RollupTable, headings: dict[str, str]) -> Chart:
    columns = [headings.get(group.value, group.value) for group in table.groups]
    numbers = status_chart.table_rows(table)
    return Chart(
        chart_id=chart_id,
        caption=caption,
        bars=[
            status_chart.status_bar(f"{chart_id}-{n}", heading, table, group)
            for n, (heading, group) in enumerate(zip(columns, table.groups, strict=True))
        ],
        rows=[
            ChartRow(heading, [row.counts[n] for row in numbers], group.total)
            for n, (heading, group) in enumerate(zip(columns, table.groups, strict=True))
        ],
        whole_plan=ChartRow(
            _("Whole plan"), [row.whole_plan for row in numbers], table.whole_plan.total
        ),
    )


def _status_maps(
    plan: Plan, reporting_round: ReportingRound, before: ReportingRound | None
) -> tuple[dict[int, StatusReport], dict[int, int | None]]:
    """Measure id → the report giving its status as of the round; and as of the previous one."""
    current = {
        report.measure_id: report
        for report in StatusReport.objects.giving_status(plan, as_of=reporting_round)
        .select_related("status", "reporting_round", "organisation")
        .prefetch_related("step_progress")
        .order_by()
    }
    previous: dict[int, int | None] = {}
    if before is not None:
        previous = dict(
            StatusReport.objects.giving_status(plan, as_of=before)
            .order_by()
            .values_list("measure_id", "status_id")
        )
    return current, previous


def _unpublished(reporting_round: ReportingRound) -> dict[int, list[StatusReport]]:
    """The round's reports not (yet) published, per measure: only for the internal report."""
    result: dict[int, list[StatusReport]] = defaultdict(list)
    for report in (
        StatusReport.objects.current()
        .filter(reporting_round=reporting_round)
        .exclude(state=StatusReport.State.PUBLISHED)
        .select_related("status", "organisation")
        .order_by("organisation__abbreviation", "pk")
    ):
        result[report.measure_id].append(report)
    return result


def _sections(
    plan: Plan,
    reporting_round: ReportingRound,
    catalogue: MeasureCatalogue,
    current: dict[int, StatusReport],
    internal: bool,
    goal_table: RollupTable,
    field_table: RollupTable,
) -> list[FieldSection]:
    """The fields and Leitziele with a fact block per measure under its first Leitziel."""
    nodes = Node.objects.filter(plan=plan, level__in=(1, 2)).in_document_order()
    field_nodes = {n.key: n for n in nodes if n.level == 1}
    goal_nodes = {n.code: n for n in nodes if n.level == 2}
    unpublished = _unpublished(reporting_round) if internal else {}
    members = dict(
        MeasureFacet.objects.filter(plan=plan, facet=Facet.GOAL).values_list("value", "measure_ids")
    )
    sections: dict[str, FieldSection] = {}
    for number, node in field_nodes.items():
        group = field_table.group(number)
        heading = f"{plan.level_name(1)} {number}: {node.label}"
        sections[number] = FieldSection(
            number=number,
            label=node.label,
            colour=node.colour if node.colour in FIELD_COLOURS else "neutral",
            anchor=f"feld-{number}",
            bar=status_chart.status_bar(f"feld-{number}-balken", heading, field_table, group)
            if group
            else None,
        )
    for group in goal_table.groups:
        code = group.value
        field_number = code.split(".")[0]
        goal_node = goal_nodes.get(code)
        label = goal_node.label if goal_node else ""
        anchor = f"leitziel-{code}"
        heading = f"{plan.level_name(2)} {code}: {label}" if label else code
        goal = GoalSection(
            code=code,
            label=label,
            anchor=anchor,
            bar=status_chart.status_bar(f"{anchor}-balken", heading, goal_table, group),
        )
        for measure in catalogue.in_number_order(members.get(code, [])):
            home = catalogue.home_goal(measure)
            if home == code or home is None:
                goal.blocks.append(
                    fact_block(
                        measure,
                        catalogue,
                        current.get(measure.pk),
                        unpublished.get(measure.pk, []),
                        internal=internal,
                    )
                )
            else:
                goal.references.append(CrossReference(measure, fact_anchor(measure), home))
        section = sections.get(field_number)
        if section is None:
            section = sections[field_number] = FieldSection(
                field_number, "", "neutral", f"feld-{field_number}", None
            )
        section.goals.append(goal)
    return list(sections.values())


def _key_projects(
    plan: Plan, table: RollupTable, catalogue: MeasureCatalogue, current: dict[int, StatusReport]
) -> list[KeyProjectLine]:
    members = dict(
        MeasureFacet.objects.filter(plan=plan, facet=Facet.KEY_PROJECT).values_list(
            "value", "measure_ids"
        )
    )
    lines = []
    for n, group in enumerate(table.groups):
        measures = catalogue.in_number_order(members.get(group.value, []))
        lines.append(
            KeyProjectLine(
                code=group.value,
                bar=status_chart.status_bar(f"sv-{n}", group.value, table, group),
                measures=[(m, current.get(m.pk)) for m in measures],
            )
        )
    return lines


def _priority_rows(table: RollupTable) -> list[PriorityRow]:
    return [
        PriorityRow(
            label="+" * int(group.value) if group.value.isdigit() else group.value,
            counts=list(group.counts),
            without_report=group.without_report,
            total=group.total,
        )
        for group in table.groups
    ]


def _carried_forward(
    reporting_round: ReportingRound,
    current: dict[int, StatusReport],
    statuses: list[StatusOption],
) -> list[tuple[str, int]]:
    """Per status, the measures whose status in the round is an unchanged carried-forward one."""
    copies = set(
        StatusReport.objects.carried_forward()
        .filter(reporting_round=reporting_round)
        .values_list("pk", flat=True)
    )
    counts = Counter(r.status_id for r in current.values() if r.pk in copies)
    return [(s.label, counts[s.pk]) for s in statuses if counts[s.pk]]


def build_report(
    plan: Plan, reporting_round: ReportingRound, *, internal: bool = False
) -> ProgressReport:
    """The progress report of the round: the public one, or with `internal` the staff's one."""
    before = previous_round(reporting_round)
    current, previous = _status_maps(plan, reporting_round, before)
    catalogue = MeasureCatalogue.load(plan)
    field_table = rollups.rollups(plan, Facet.FIELD, as_of=reporting_round)
    goal_table = rollups.rollups(plan, Facet.GOAL, as_of=reporting_round)
    priority_table = rollups.rollups(plan, Facet.PRIORITY, as_of=reporting_round)
    key_project_table = rollups.rollups(plan, Facet.KEY_PROJECT, as_of=reporting_round)
    before_whole = rollups.plan_rollup(plan, as_of=before).whole_plan if before else None
    statuses = field_table.statuses
    legend = status_chart.legend(statuses)
    whole = field_table.whole_plan
    counts_now = [*whole.counts, whole.without_report]
    counts_before = [*before_whole.counts, before_whole.without_report] if before_whole else None
    field_labels = {
        n.key: f"{plan.level_name(1)} {n.key}: {n.label}"
        for n in Node.objects.filter(plan=plan, level=1)
    }
    goal_labels = {g.value: f"{plan.level_name(2)} {g.value}" for g in goal_table.groups}
    by_pk = {s.pk: s for s in statuses}
    changes = [
        StatusChange(m, by_pk.get(previous.get(m.pk) or 0), current[m.pk].status)
        for m in catalogue.measures
        if before is not None and m.pk in current and current[m.pk].status_id != previous.get(m.pk)
    ]
    issued = (reporting_round.closed_at or timezone.now()).astimezone(
        timezone.get_current_timezone()
    )
    return ProgressReport(
        plan=plan,
        reporting_round=reporting_round,
        internal=internal,
        issued=issued.date(),
        field_level=plan.level_name(1),
        goal_level=plan.level_name(2),
        statuses=statuses,
        legend=legend,
        whole_plan=whole,
        reported_in_round=sum(
            1 for r in current.values() if r.reporting_round_id == reporting_round.pk
        ),
        previous_round=before,
        previous_whole_plan=before_whole,
        whole_plan_rows=[
            (entry.colour, entry.label, counts_before[i] if counts_before else None, now)
            for i, (entry, now) in enumerate(zip(legend, counts_now, strict=True))
        ],
        field_chart=_chart(
            "felder",
            _("Measures per status and %(level)s") % {"level": plan.level_name(1)},
            field_table,
            field_labels,
        ),
        goal_chart=_chart(
            "leitziele",
            _("Measures per status and %(level)s") % {"level": plan.level_name(2)},
            goal_table,
            goal_labels,
        ),
        priority_rows=_priority_rows(priority_table),
        changes=changes,
        key_projects=_key_projects(plan, key_project_table, catalogue, current),
        fields=_sections(
            plan, reporting_round, catalogue, current, internal, goal_table, field_table
        ),
        rounds=[
            r
            for r in ReportingRound.objects.up_to(reporting_round).newest_first()
            if r.pk == reporting_round.pk or not (r.is_open or r.is_demo)
        ],
        carried_forward=_carried_forward(reporting_round, current, statuses),
        licence=settings.KEK_DATA_LICENSE,
        licence_url=settings.KEK_DATA_LICENSE_URL,
    )
