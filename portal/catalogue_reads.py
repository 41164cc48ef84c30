"""What the catalogue pages show, read with a fixed number of queries whatever the plan's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
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


def _rows(sql: str, params: list[object]) -> list[tuple]:
    """Rows of a plain SQL read; see measure_page for why some reads are not ORM queries."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _in(ids: list[int]) -> str:
    """Placeholders for an IN list of ids (never empty: IN () is invalid SQL)."""
    return ", ".join(["%s"] * len(ids)) or "NULL"


def steps_by_placement(placement_ids: list[int]) -> dict[int, list[StepNode]]:
    """Nested sub-items of the placements (one query; the placements are current ones)."""
    result: dict[int, list[StepNode]] = defaultdict(list)
    made: dict[int, StepNode] = {}
    q = connection.ops.quote_name
    rows = _rows(
        f"SELECT id, placement_id, parent_id, text FROM {q(Step._meta.db_table)} "
        f"WHERE placement_id IN ({_in(placement_ids)}) ORDER BY placement_id, {q('order')}",
        list(placement_ids),
    )
    for pk, placement_id, parent_id, text in rows:
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
    q = connection.ops.quote_name
    columns = [f.column for f in Organisation._meta.concrete_fields]
    selected = ", ".join(f"o.{q(c)}" for c in columns)
    organisations = q(Organisation._meta.db_table)
    parts = [
        f"SELECT {role}, r.placement_id, r.position, {selected} FROM {q(model._meta.db_table)} r "
        f"JOIN {organisations} o ON o.id = r.organisation_id "
        f"WHERE r.placement_id IN ({_in(placement_ids)})"
        for role, model in ((0, PlacementLead), (1, PlacementParticipant))
    ]
    rows = _rows(" UNION ALL ".join(parts) + " ORDER BY 2, 3", [*placement_ids, *placement_ids])
    attnames = [f.attname for f in Organisation._meta.concrete_fields]
    leads: dict[int, list[Organisation]] = defaultdict(list)
    participants: dict[int, list[Organisation]] = defaultdict(list)
    for role, placement_id, _position, *values in rows:
        organisation = Organisation.from_db(connection.alias, attnames, values)
        (participants if role else leads)[placement_id].append(organisation)
    return leads, participants


def _key_projects_by_placement(placement_ids: list[int]) -> dict[int, list[KeyProject]]:
    """The key projects each placement names, in printed order (one query)."""
    q = connection.ops.quote_name
    columns = [f.column for f in KeyProject._meta.concrete_fields]
    rows = _rows(
        f"SELECT r.placement_id, {', '.join(f'k.{q(c)}' for c in columns)} "
        f"FROM {q(PlacementKeyProject._meta.db_table)} r "
        f"JOIN {q(KeyProject._meta.db_table)} k ON k.id = r.key_project_id "
        f"WHERE r.placement_id IN ({_in(placement_ids)}) ORDER BY r.placement_id, r.position",
        list(placement_ids),
    )
    attnames = [f.attname for f in KeyProject._meta.concrete_fields]
    result: dict[int, list[KeyProject]] = defaultdict(list)
    for placement_id, *values in rows:
        result[placement_id].append(KeyProject.from_db(connection.alias, attnames, values))
    return result


def measure_page(plan: Plan, number: str) -> MeasurePage:
    """A measure with every placement, its path in the hierarchy, steps and organisations.

    Steps, organisations and key projects are read with plain SQL over the placements' ids:
    the ORM spent about 1 ms compiling each of these small queries (4 ms for the union of
    leads and participants) against 0.1 ms of SQL, a quarter of the page's time.
    """
    placements = list(
        Placement.objects.filter(plan=plan, measure__number=number)
        .select_related("measure")
        .in_document_order()
    )
    if placements:
        measure = placements[0].measure
    else:  # a measure entered in the back office and not placed yet
        measure = Measure.objects.filter(plan=plan, number=number).order_by().first()
        if measure is None:
            raise Http404
    measure.plan = plan  # the plan is known: no query when something reads measure.plan
    for placement in placements:
        placement.measure = measure
    ids = [p.pk for p in placements]
    # The fields by number, as the placements' field_number names them (and the filters use).
    fields = {int(n.key): n for n in Node.objects.filter(plan=plan).fields().order_by()}
    for placement in placements:
        placement.field = fields.get(placement.field_number)
    leads, participants = _organisations_by_placement(ids)
    key_projects_of = _key_projects_by_placement(ids)
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
