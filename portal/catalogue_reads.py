"""What the catalogue pages show, read with a fixed number of queries whatever the plan's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from operator import itemgetter

from django.db.models import Value
from django.http import Http404

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


def tree(plan: Plan, max_level: int = 3) -> list[Node]:
    """Fields with their goals (and subgoals) as `children_list`, in document order."""
    nodes = list(Node.objects.filter(plan=plan, level__lte=max_level).in_document_order())
    by_id = {n.pk: n for n in nodes}
    for node in nodes:
        node.children_list = []
    roots = []
    for node in nodes:
        parent = by_id.get(node.parent_id)
        (parent.children_list if parent else roots).append(node)
    return roots


def goal_page(plan: Plan, code: str) -> tuple[Node, list[Node], dict[int, list[Placement]]]:
    """The goal, its subgoals (with approaches as children_list) and placements per node."""
    nodes = list(
        Node.objects.filter(plan=plan, level__gte=2, key__startswith=code)
        .select_related("parent")
        .in_document_order()
    )
    goal = next((n for n in nodes if n.level == 2 and n.key == code), None)
    if goal is None:
        raise Http404
    subgoals = [n for n in nodes if n.level == 3 and n.parent_id == goal.pk]
    for subgoal in subgoals:
        subgoal.children_list = [n for n in nodes if n.parent_id == subgoal.pk]
    placements: dict[int, list[Placement]] = defaultdict(list)
    for placement in (
        Placement.objects.filter(plan=plan, goal_code=code)
        .select_related("measure")
        .in_document_order()
    ):
        placements[placement.node_id].append(placement)
    return goal, subgoals, placements


def steps_by_placement(placement_ids: list[int]) -> dict[int, list[StepNode]]:
    """Nested sub-items of the placements (one query)."""
    result: dict[int, list[StepNode]] = defaultdict(list)
    made: dict[int, StepNode] = {}
    steps = Step.objects.filter(placement_id__in=placement_ids).order_by("placement_id", "order")
    for pk, placement_id, parent_id, text in steps.values_list(
        "pk", "placement_id", "parent_id", "text"
    ):
        node = StepNode(text)
        made[pk] = node
        if parent_id and parent_id in made:
            made[parent_id].children.append(node)
        else:
            result[placement_id].append(node)
    return result


@dataclass
class MeasurePage:
    """Everything the measure page shows."""

    measure: Measure
    placements: list[Placement]
    fields: dict[int, Node]
    steps: dict[int, list[StepNode]]
    leads: dict[int, list[Organisation]]
    participants: dict[int, list[Organisation]]
    key_projects: list[KeyProject]
    interlinked_fields: list[Node]


def _fields_of(placements: list[Placement]) -> dict[int, Node]:
    """The fields (level-1 nodes) the placements stand under, by number, from their nodes."""
    fields: dict[int, Node] = {}
    for placement in placements:
        node: Node | None = placement.node
        while node is not None and node.level > 1:
            node = node.parent  # selected with the placement: four levels at most
        if node is not None:
            fields[int(node.key)] = node
    return fields


def _organisations_by_placement(
    placement_ids: list[int],
) -> tuple[dict[int, list[Organisation]], dict[int, list[Organisation]]]:
    """Lead and participant organisations of the placements in printed order (one query)."""
    columns = [f.attname for f in Organisation._meta.concrete_fields]
    rows = [
        relation.objects.filter(placement_id__in=placement_ids)
        .order_by()
        .values_list(
            Value(role), "placement_id", "position", *(f"organisation__{c}" for c in columns)
        )
        for role, relation in ((0, PlacementLead), (1, PlacementParticipant))
    ]
    leads: dict[int, list[Organisation]] = defaultdict(list)
    participants: dict[int, list[Organisation]] = defaultdict(list)
    for role, placement_id, _position, *values in sorted(
        rows[0].union(rows[1], all=True), key=itemgetter(1, 2)
    ):
        organisation = Organisation.from_db(Organisation.objects.db, columns, values)
        (participants if role else leads)[placement_id].append(organisation)
    return leads, participants


def measure_page(plan: Plan, number: str) -> MeasurePage:
    """A measure with every placement, its path in the hierarchy, steps and organisations."""
    placements = list(
        Placement.objects.filter(plan=plan, measure__number=number)
        .select_related("measure", "node__parent__parent__parent")
        .in_document_order()
    )
    if placements:
        measure = placements[0].measure
    else:  # a measure entered in the back office and not placed yet
        measure = Measure.objects.filter(plan=plan, number=number).order_by().first()
        if measure is None:
            raise Http404
    measure.plan = plan  # read again by the monitoring history otherwise
    for placement in placements:
        placement.measure = measure
    ids = [p.pk for p in placements]
    fields = _fields_of(placements)
    if measure.home_field not in fields:  # a measure not placed under its home field
        fields = {int(n.key): n for n in Node.objects.filter(plan=plan, level=1)}
    leads, participants = _organisations_by_placement(ids)
    key_projects_of: dict[int, list[KeyProject]] = defaultdict(list)
    for row in (
        PlacementKeyProject.objects.filter(placement_id__in=ids)
        .select_related("key_project")
        .order_by("placement_id", "position")  # the default ordering would join the plan
    ):
        key_projects_of[row.placement_id].append(row.key_project)
    key_projects: list[KeyProject] = []
    for placement in placements:  # in document order, each key project once
        for key_project in key_projects_of[placement.pk]:
            if key_project not in key_projects:
                key_projects.append(key_project)
    placed_in = sorted({p.field_number for p in placements} - {measure.home_field})
    return MeasurePage(
        measure=measure,
        placements=placements,
        fields=fields,
        steps=steps_by_placement(ids),
        leads=leads,
        participants=participants,
        key_projects=key_projects,
        interlinked_fields=[fields[n] for n in placed_in if n in fields],
    )
