"""What the catalogue pages show, read with a fixed number of queries whatever the plan's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Prefetch, QuerySet, When
from django.http import Http404

from plans.kept import kept_per_revision
from plans.models import (
    KeyProject,
    Measure,
    MeasureFacet,
    Node,
    Organisation,
    Placement,
    PlacementKeyProject,
    PlacementLead,
    PlacementParticipant,
    Plan,
    Step,
)


@dataclass
class TreeNode:
    """A node of the hierarchy with the nodes below it and the measures placed under it."""

    node: Node
    children: list[TreeNode] = field(default_factory=list)
    measure_count: int = 0


@dataclass
class StepNode:
    """A sub-item with its nested sub-items."""

    text: str
    children: list[StepNode] = field(default_factory=list)


@dataclass
class MeasureCounts:
    """Distinct measures placed under each field (by number) and each goal (by code)."""

    fields: dict[int, int]
    goals: dict[str, int]


def measure_counts(plan: Plan) -> MeasureCounts:
    """Count the measures per field and per goal (one query over the measure facets)."""
    counts = MeasureCounts(fields={}, goals={})
    rows = MeasureFacet.objects.filter(
        plan=plan, facet__in=[MeasureFacet.Facet.FIELD, MeasureFacet.Facet.GOAL]
    ).values_list("facet", "value", "measure_count")
    for facet, value, n in rows:
        if facet == MeasureFacet.Facet.FIELD:
            counts.fields[int(value)] = n
        else:
            counts.goals[value] = n
    return counts


def tree(plan: Plan, max_level: int = 3) -> list[TreeNode]:
    """Fields with their goals (and subgoals) in document order, with their measure counts."""
    counts = measure_counts(plan)
    made: dict[int, TreeNode] = {}
    roots: list[TreeNode] = []
    for node in Node.objects.filter(plan=plan, level__lte=max_level).in_document_order():
        made[node.pk] = entry = TreeNode(node)
        if node.level == 1 and node.key.isdigit():
            entry.measure_count = counts.fields.get(int(node.key), 0)
        elif node.level == 2:
            entry.measure_count = counts.goals.get(node.key, 0)
        parent = made.get(node.parent_id) if node.parent_id else None
        (parent.children if parent else roots).append(entry)
    return roots


@dataclass
class GoalSection:
    """A sub-goal on the goal page: its rows on the shown page, grouped by node, and where
    its rows are in the whole list (so that a page without them can link to them)."""

    subgoal: TreeNode
    groups: list[tuple[Node, list[Placement]]]  # the node (sub-goal or approach), its rows
    total: int  # rows of the sub-goal and its approaches on all pages
    first_page: int  # the page its first row is on (1 if it has none)


@dataclass
class GoalPage:
    """A goal, its subgoals with their approaches, and one page of the placements under them.

    The placements are listed sub-goal by sub-goal (each sub-goal's own rows, then those of
    its approaches, in document order) and paged: the page grows with the page, not the plan.
    """

    goal: Node
    subgoals: list[TreeNode]
    sections: list[GoalSection]
    page: Page


# What a goal's or sub-goal's rows show (portal.views.catalogue.placement_rows), and no more:
# not the whole measure cell, nor the other texts of a placement.
LISTED_PLACEMENT_FIELDS = (
    "measure_id",
    "node_id",
    "parent_id",
    "order",
    "field_number",
    "title",
    "lead",
    "priority",
    "measure__number",
    "measure__title",
    "measure__home_field",
)


def placements_per_node(plan: Plan) -> dict[int, int]:
    """Node id → how many placements (of measures not deleted) stand there.

    Kept per catalogue revision (`plans.kept`): a goal's page then counts nothing, where
    counting its placements grew with the plan.
    """
    return kept_per_revision(
        plan.pk,
        "placements-per-node",
        lambda: dict(
            Placement.objects.filter(plan=plan)
            .order_by()
            .values("node_id")
            .annotate(rows=Count("pk"))
            .values_list("node_id", "rows")
        ),
        catalogue=True,
    )


class _CountedPlacements:
    """Placements of some nodes in list order, for a Paginator: counted from the kept counts,
    a page read by one query."""

    def __init__(self, rows: QuerySet[Placement], total: int) -> None:
        self.rows, self.total = rows, total

    def count(self) -> int:
        return self.total

    def __getitem__(self, index: slice) -> list[Placement]:
        return list(self.rows[index])


def _placements_in_order(
    plan: Plan, node_ids: list[int], per_node: dict[int, int]
) -> _CountedPlacements:
    """The placements under the nodes, node by node in the given order, then document order."""
    position = Case(*(When(node_id=pk, then=i) for i, pk in enumerate(node_ids)))
    rows = (
        Placement.objects.filter(plan=plan, node_id__in=node_ids)
        .select_related("measure")
        .only(*LISTED_PLACEMENT_FIELDS)
        .order_by(position, "order", "pk")
    )
    return _CountedPlacements(rows, sum(per_node.get(pk, 0) for pk in node_ids))


def goal_page(plan: Plan, code: str, page_number: str | None, per_page: int) -> GoalPage:
    """The goal with the given code and the page of its placements; 404 if the plan has none.

    Two queries whatever the plan's size, the nodes and the page's rows (with their
    measures), once the catalogue revision's counts per node are kept.
    """
    nodes = list(
        Node.objects.filter(plan=plan, level__gte=2, key__startswith=code)
        .select_related("parent")
        .in_document_order()
    )
    goal = next((n for n in nodes if n.level == 2 and n.key == code), None)
    if goal is None:
        raise Http404
    subgoals = [
        TreeNode(n, [TreeNode(a) for a in nodes if a.parent_id == n.pk])
        for n in nodes
        if n.level == 3 and n.parent_id == goal.pk
    ]
    # Node id → its sub-goal's id, and every listed node in list order.
    section_of: dict[int, int] = {}
    listed_nodes: list[int] = []
    for subgoal in subgoals:
        for node in [subgoal.node, *(a.node for a in subgoal.children)]:
            section_of[node.pk] = subgoal.node.pk
            listed_nodes.append(node.pk)
    per_node = placements_per_node(plan)
    rows: Any = _placements_in_order(plan, listed_nodes, per_node)  # count() and slices
    page = Paginator(rows, per_page).get_page(page_number)
    on_page: dict[int, dict[int, list[Placement]]] = defaultdict(lambda: defaultdict(list))
    for placement in page.object_list:
        on_page[section_of[placement.node_id]][placement.node_id].append(placement)
    nodes_by_id = {n.pk: n for n in nodes}
    sections = []
    before = 0
    for subgoal in subgoals:
        members = [subgoal.node.pk, *(a.node.pk for a in subgoal.children)]
        total = sum(per_node.get(pk, 0) for pk in members)
        shown = on_page.get(subgoal.node.pk, {})
        groups = [(nodes_by_id[pk], shown[pk]) for pk in members if shown.get(pk)]
        first_page = before // per_page + 1 if total else 1
        sections.append(GoalSection(subgoal, groups, total, first_page))
        before += total
    return GoalPage(goal, subgoals, sections, page)


@dataclass
class SubgoalPage:
    """A sub-goal with its approaches and one page of the placements under these nodes."""

    subgoal: Node  # with its goal and field (select_related)
    approaches: list[Node]
    page: Page  # of placements: the sub-goal's own, then each approach's, in document order
    groups: list[tuple[Node, list[Placement]]]  # the page's placements by node


def subgoal_page(plan: Plan, code: str, number: str | int | None, per_page: int) -> SubgoalPage:
    """The sub-goal with the given number as displayed ("1.1.1") and the placements of one
    page (counted from the kept counts per node, one page read: the page grows with the page,
    not the plan); 404 if the plan has none.

    By number, not by key: a key may hold a "/" ("1.3/2"), which a URL segment cannot.
    """
    subgoal = (
        Node.objects.filter(plan=plan, level=3, code=code)
        .select_related("parent", "parent__parent")
        .order_by()
        .first()
    )
    if subgoal is None:
        raise Http404
    approaches = list(Node.objects.filter(plan=plan, parent=subgoal).in_document_order())
    nodes = [subgoal, *approaches]
    placements: Any = _placements_in_order(  # count() and slices
        plan, [n.pk for n in nodes], placements_per_node(plan)
    )
    page = Paginator(placements, per_page).get_page(number)
    by_node: dict[int, list[Placement]] = defaultdict(list)
    for placement in page.object_list:
        by_node[placement.node_id].append(placement)
    groups = [(n, by_node[n.pk]) for n in nodes if by_node.get(n.pk)]
    return SubgoalPage(subgoal, approaches, page, groups)


def _nested(steps: list[Step]) -> list[StepNode]:
    """The steps of one placement (in order) as a tree of their sub-items."""
    made: dict[int, StepNode] = {}
    roots: list[StepNode] = []
    for step in steps:
        made[step.pk] = node = StepNode(step.text)
        parent = made.get(step.parent_id) if step.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


@dataclass
class PlacementEntry:
    """One placement of the measure page with what it prints."""

    placement: Placement
    field: Node | None  # the level-1 node of its field_number
    steps: list[StepNode]
    leads: list[Organisation]
    participants: list[Organisation]
    key_projects: list[KeyProject]


@dataclass
class MeasurePage:
    """Everything the measure page shows."""

    measure: Measure
    placements: list[PlacementEntry]
    key_projects: list[KeyProject]  # of every placement, each once, in document order
    home_field: Node | None
    interlinked_fields: list[Node]


def measure_page(plan: Plan, number: str) -> MeasurePage:
    """A measure with every placement, its field, steps, organisations and key projects."""
    placements = list(
        Placement.objects.filter(plan=plan, measure__number=number)
        .select_related("measure")
        .prefetch_related(
            Prefetch("steps", queryset=Step.objects.order_by("order")),
            Prefetch(
                "lead_rows",
                queryset=PlacementLead.objects.select_related("organisation").order_by("position"),
            ),
            Prefetch(
                "participant_rows",
                queryset=PlacementParticipant.objects.select_related("organisation").order_by(
                    "position"
                ),
            ),
            Prefetch(
                "key_project_rows",
                queryset=PlacementKeyProject.objects.select_related("key_project").order_by(
                    "position"
                ),
            ),
        )
        .in_document_order()
    )
    measure: Measure | None = placements[0].measure if placements else None
    if measure is None:  # a measure entered in the back office and not placed yet
        measure = Measure.objects.filter(plan=plan, number=number).order_by().first()
        if measure is None:
            raise Http404
    # The fields by number, as the placements' field_number names them (and the filters use).
    fields = {int(n.key): n for n in Node.objects.filter(plan=plan).fields() if n.key.isdigit()}
    entries = [
        PlacementEntry(
            placement=p,
            field=fields.get(p.field_number),
            steps=_nested(list(p.steps.all())),
            leads=[row.organisation for row in p.lead_rows.all()],
            participants=[row.organisation for row in p.participant_rows.all()],
            key_projects=[row.key_project for row in p.key_project_rows.all()],
        )
        for p in placements
    ]
    key_projects: list[KeyProject] = []
    for entry in entries:
        key_projects += [k for k in entry.key_projects if k not in key_projects]
    placed_in = sorted({p.field_number for p in placements} - {measure.home_field})
    return MeasurePage(
        measure=measure,
        placements=entries,
        key_projects=key_projects,
        home_field=fields.get(measure.home_field),
        interlinked_fields=[fields[n] for n in placed_in if n in fields],
    )
