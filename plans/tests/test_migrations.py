"""A database that already holds a plan migrates from the first migrations to the newest."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import Membership
from plans.models import Measure, MeasureFacet, Placement, Plan, Step
from plans.services import refresh_measure_facets

PROJECT_APPS = ("accounts", "plans", "search", "monitoring")


def first_migrations(executor: MigrationExecutor) -> list[tuple[str, str]]:
    """The first migration of each project app, or the later one of it that another app's
    first migration needs (accounts and monitoring start on plans 0003)."""
    graph = executor.loader.graph
    needed = {
        node
        for root in graph.root_nodes()
        if root[0] in PROJECT_APPS
        for node in graph.forwards_plan(root)
    }
    return [
        max(
            (node for node in needed if node[0] == app),
            key=lambda node: len(graph.forwards_plan(node)),
        )
        for app in PROJECT_APPS
    ]


@pytest.fixture
def first_state() -> Iterator[Any]:
    """The database at the project's first migrations, and the models as they were then;
    afterwards the newest schema again, so that later tests find it whatever happened here."""
    executor = MigrationExecutor(connection)
    first = first_migrations(executor)
    executor.migrate(first)
    try:
        yield MigrationExecutor(connection).loader.project_state(first).apps
    finally:
        migrate_to_newest()


def migrate_to_newest() -> None:
    """Every app's newest migration: also apps this test does not name (e.g. indicators),
    whose tables went when their dependencies were migrated back."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def write_plan(apps: Any) -> None:
    """A small plan through the models of the first migrations: measures in number order that
    is not the text order, a building block, several leads, a participant, a key project,
    nested steps, a commission measure and an office editor's membership."""
    model = apps.get_model
    plan = model("plans", "Plan").objects.create(
        slug="migriert",
        title="Migrierter Plan",
        level_names=["Handlungsfeld", "Leitziel", "Teilziel", "Handlungsansatz"],
        imported_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
    )
    Node = model("plans", "Node")
    nodes: dict[str, Any] = {}
    for order, (key, level) in enumerate(
        [("1", 1), ("1.1", 2), ("1.1.1", 3), ("1.1.1.1", 4), ("1.1.2", 3)]
    ):
        parent = nodes.get(key.rpartition(".")[0])
        nodes[key] = Node.objects.create(
            plan=plan, key=key, level=level, code=key, label=f"Knoten {key}", order=order,
            parent=parent,
        )  # fmt: skip
    Organisation = model("plans", "Organisation")
    afs, slr, zvnl = (
        Organisation.objects.create(plan=plan, abbreviation=abbreviation, name=name, kind=kind)
        for abbreviation, name, kind in [
            ("AfS", "Amt für Strukturentwicklung", "office"),
            ("SLR", "Stabsstelle Landrat", "office"),
            ("ZVNL", "Zweckverband Nahverkehr", "partner"),
        ]
    )
    key_project = model("plans", "KeyProject").objects.create(
        plan=plan, code="SV I.2", field_number=1
    )
    Measure = model("plans", "Measure")
    measures = {
        number: Measure.objects.create(
            plan=plan,
            number=number,
            home_field=1,
            title=f"Maßnahme {number}",
            commission=number == "1-3",
            field_part=1,
            seq=int(number.split("-")[1]),
        )
        for number in ["1-10", "1-2", "1-3"]
    }
    Placement = model("plans", "Placement")

    def placement(order: int, number: str, node: str, **fields: Any) -> Any:
        return Placement.objects.create(
            plan=plan, measure=measures[number], node=nodes[node], order=order, line=100 + order,
            field_number=1, goal_code="1.1", title=f"Zeile {order}", **fields,
        )  # fmt: skip

    row = placement(0, "1-10", "1.1.1.1", lead="AfS, SLR", priority="++", priority_level=2)
    block = placement(1, "1-10", "1.1.1.1", parent=row, lead="ZVNL")
    other = placement(2, "1-2", "1.1.2", lead="SLR")
    commission_row = placement(3, "1-3", "1.1.1", lead="AfS", commission=True)
    PlacementLead = model("plans", "PlacementLead")
    for position, (placement_row, organisation) in enumerate(
        [(row, afs), (row, slr), (block, zvnl), (other, slr), (commission_row, afs)]
    ):
        PlacementLead.objects.create(
            placement=placement_row, organisation=organisation, position=position
        )
    model("plans", "PlacementParticipant").objects.create(
        placement=row, organisation=zvnl, position=0
    )
    model("plans", "PlacementKeyProject").objects.create(
        placement=row, key_project=key_project, position=0
    )
    Step = model("plans", "Step")
    step = Step.objects.create(placement=row, order=0, text="Konzept erstellen")
    Step.objects.create(placement=row, order=1, text="Konzept abstimmen", parent=step)
    user = model("auth", "User").objects.create(username="redaktion-afs")
    model("accounts", "Membership").objects.create(
        user=user, plan=plan, organisation=afs, role="redaktion"
    )


def facets_by_number(plan: Plan) -> dict[tuple[str, str], list[str]]:
    numbers = dict(Measure.objects.filter(plan=plan).values_list("pk", "number"))
    return {
        (facet.facet, facet.value): [numbers[pk] for pk in facet.measure_ids]
        for facet in MeasureFacet.objects.filter(plan=plan)
        if facet.measure_count == len(facet.measure_ids)
    }


@pytest.mark.django_db(transaction=True)
def test_a_plan_written_at_the_first_migrations_survives_migrating_to_the_newest(
    first_state: Any,
) -> None:
    write_plan(first_state)

    migrate_to_newest()

    plan = Plan.objects.get(slug="migriert")
    assert plan.title == "Migrierter Plan"
    assert list(Measure.objects.filter(plan=plan).in_number_order().values_list("number")) == [
        ("1-2",),
        ("1-3",),
        ("1-10",),
    ]
    assert not Measure.all_objects.filter(plan=plan).deleted().exists()
    row = Placement.objects.get(plan=plan, order=0)
    assert [o.abbreviation for o in row.lead_organisations.order_by("lead_rows__position")] == [
        "AfS",
        "SLR",
    ]
    assert [o.abbreviation for o in row.participant_organisations.all()] == ["ZVNL"]
    assert [k.code for k in row.key_projects.all()] == ["SV I.2"]
    assert Placement.objects.get(plan=plan, order=1).parent == row
    assert [(s.text, s.parent and s.parent.text) for s in Step.objects.order_by("order")] == [
        ("Konzept erstellen", None),
        ("Konzept abstimmen", "Konzept erstellen"),
    ]
    membership = Membership.objects.get(plan=plan)
    assert (membership.user.username, membership.role, membership.organisation.abbreviation) == (
        "redaktion-afs",
        Membership.Role.EDITOR,
        "AfS",
    )

    assert facets_by_number(plan) == {
        ("field", "1"): ["1-2", "1-3", "1-10"],
        ("goal", "1.1"): ["1-2", "1-3", "1-10"],
        ("subgoal", "1.1.1"): ["1-3", "1-10"],
        ("subgoal", "1.1.2"): ["1-2"],
        ("lead", "AfS"): ["1-3", "1-10"],
        ("lead", "SLR"): ["1-2", "1-10"],
        ("lead", "ZVNL"): ["1-10"],
        ("participant", "ZVNL"): ["1-10"],
        ("key_project", "SV I.2"): ["1-10"],
        ("priority", "2"): ["1-10"],
        ("commission", "1"): ["1-3"],
    }
    # The migration's copy of the facet computation agrees with today's service on this plan.
    migrated = facets_by_number(plan)
    refresh_measure_facets(plan.pk)
    assert facets_by_number(plan) == migrated
