"""What the catalogue pages show, read with a fixed number of queries whatever the plan's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.http import Http404

from plans.models import (
    Measure,
    Node,
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


def measure_counts(plan: Plan, by: str) -> dict[object, int]:
    """Distinct measures placed per field_number or goal_code (one query)."""
    rows = (
        Placement.objects.filter(plan=plan)
        .values(by)
        .annotate(n=Count("measure", distinct=True))
        .order_by()
    )
    return {row[by]: row["n"] for row in rows}


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
    for step in Step.objects.filter(placement_id__in=placement_ids).order_by("placement", "order"):
        node = StepNode(step.text)
        made[step.pk] = node
        if step.parent_id and step.parent_id in made:
            made[step.parent_id].children.append(node)
        else:
            result[step.placement_id].append(node)
    return result


@dataclass
class MeasurePage:
    """Everything the measure page shows."""

    measure: Measure
    placements: list[Placement]
    fields: dict[int, Node]
    steps: dict[int, list[StepNode]]
    leads: dict[int, list]
    participants: dict[int, list]
    key_projects: list
    interlinked_fields: list[Node]


def measure_page(plan: Plan, number: str) -> MeasurePage:
    """A measure with every placement, its path in the hierarchy, steps and organisations."""
    measure = Measure.objects.filter(plan=plan, number=number).first()
    if measure is None:
        raise Http404
    placements = list(
        measure.placements.select_related("node__parent__parent__parent").in_document_order()
    )
    ids = [p.pk for p in placements]
    fields = {int(n.key): n for n in Node.objects.filter(plan=plan, level=1)}
    leads: dict[int, list] = defaultdict(list)
    for row in PlacementLead.objects.filter(placement_id__in=ids).select_related("organisation"):
        leads[row.placement_id].append(row.organisation)
    participants: dict[int, list] = defaultdict(list)
    for row in PlacementParticipant.objects.filter(placement_id__in=ids).select_related(
        "organisation"
    ):
        participants[row.placement_id].append(row.organisation)
    key_projects = []
    for row in PlacementKeyProject.objects.filter(placement_id__in=ids).select_related(
        "key_project"
    ):
        if row.key_project not in key_projects:
            key_projects.append(row.key_project)
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
