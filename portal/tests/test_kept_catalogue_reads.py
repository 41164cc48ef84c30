"""Reads of the catalogue kept per catalogue revision: the placements per node (goal and
sub-goal pages) and every measure in number order (status filter, roll-ups).

Committed writes (`transaction=True`): results are kept outside a transaction only.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from monitoring.tests.factories import World, build_world_keeping_results
from plans.measure_deletion import restore_measures, soft_delete_measures
from plans.measure_order import measure_ids_in_number_order
from plans.models import Measure, Placement
from portal.catalogue_reads import placements_per_node

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(settings: Any) -> World:
    return build_world_keeping_results(settings)


def _counted(world: World) -> dict[int, int]:
    rows = Placement.objects.filter(plan=world.plan).values("node_id").annotate(n=Count("pk"))
    return {row["node_id"]: row["n"] for row in rows}


def test_the_counts_are_read_once_per_catalogue_revision_and_follow_a_deletion(
    world: World,
) -> None:
    node_id = world.placement.node_id
    assert placements_per_node(world.plan) == _counted(world) != {}
    with CaptureQueriesContext(connection) as again:
        assert placements_per_node(world.plan) == _counted(world)
    assert sum("plans_placement" in q["sql"] for q in again.captured_queries) == 1  # _counted

    soft_delete_measures([world.measure.pk], user=world.coordination)
    assert node_id not in _counted(world)
    assert placements_per_node(world.plan) == _counted(world)

    restore_measures([world.measure.pk], user=world.coordination)
    assert placements_per_node(world.plan) == _counted(world)
    assert placements_per_node(world.plan)[node_id] == 1


def test_the_measures_in_number_order_are_kept_and_follow_a_deletion(world: World) -> None:
    def direct() -> list[int]:
        return list(
            Measure.objects.filter(plan=world.plan).in_number_order().values_list("pk", flat=True)
        )

    assert (
        measure_ids_in_number_order(world.plan)
        == direct()
        == [
            world.measure.pk,
            world.other_measure.pk,
        ]
    )
    with CaptureQueriesContext(connection) as again:
        measure_ids_in_number_order(world.plan)
    assert not [q for q in again.captured_queries if "plans_measure" in q["sql"]]

    soft_delete_measures([world.measure.pk], user=world.coordination)
    assert measure_ids_in_number_order(world.plan) == direct() == [world.other_measure.pk]
    restore_measures([world.measure.pk], user=world.coordination)
    assert measure_ids_in_number_order(world.plan) == direct()
