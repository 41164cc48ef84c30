"""The roll-ups' statuses are read once per plan revision and kept (monitoring/rollups.py).

Committed writes (`transaction=True`): the store is used outside a transaction only. What a
roll-up counts from the store must be what the rule (`giving_status`) gives at that moment.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from monitoring import rollups
from monitoring.models import StatusReport
from monitoring.tests.factories import World, build_world_keeping_results
from plans.models import Plan

pytestmark = pytest.mark.django_db(transaction=True)
State = StatusReport.State


@pytest.fixture
def world(settings: Any) -> World:
    return build_world_keeping_results(settings)


def _counts(plan: Plan) -> tuple[int, int]:
    """(measures with a published status, measures without) of the whole plan."""
    whole = rollups.plan_rollup(plan).whole_plan
    return whole.reported, whole.without_report


def _status_queries(queries: CaptureQueriesContext) -> int:
    return sum("monitoring_statusreport" in q["sql"] for q in queries.captured_queries)


def test_a_second_roll_up_of_the_same_revision_reads_no_status(world: World) -> None:
    world.report(State.PUBLISHED)
    assert _counts(world.plan) == (1, 1)

    with CaptureQueriesContext(connection) as again:
        assert _counts(world.plan) == (1, 1)

    assert _status_queries(again) == 0


def test_a_publication_is_counted_at_once_even_through_a_plan_read_before_it(
    world: World,
) -> None:
    stale_plan = Plan.objects.get(pk=world.plan.pk)  # its revision is the one before
    assert _counts(stale_plan) == (0, 2)
    world.report(State.PUBLISHED, measure=world.other_measure)

    assert _counts(stale_plan) == (1, 1)
    assert _counts(world.plan) == (1, 1)


def test_statuses_read_in_a_transaction_that_rolls_back_are_not_kept(world: World) -> None:
    assert _counts(world.plan) == (0, 2)
    with transaction.atomic():
        world.report(State.PUBLISHED)
        assert _counts(world.plan) == (1, 1)  # inside: the transaction's own view
        transaction.set_rollback(True)

    assert _counts(world.plan) == (0, 2)
    world.report(State.PUBLISHED, measure=world.other_measure)  # the same next revision
    assert _counts(world.plan) == (1, 1)
    stored = rollups._stored_current(world.plan, None)
    assert stored is not None and set(stored.status_of) == {world.other_measure.pk}


def test_the_stored_and_the_directly_read_statuses_agree_for_every_round(world: World) -> None:
    world.report(State.PUBLISHED)
    world.report(State.SUBMITTED, measure=world.other_measure)
    for as_of in (None, world.reporting_round):
        stored = rollups._stored_current(world.plan, as_of)
        assert stored == rollups._read_current(world.plan, as_of)
        assert stored is not None and stored.status_of  # the published report is in it


def test_after_a_publication_only_the_changed_measure_is_read_and_the_result_agrees(
    world: World,
) -> None:
    """A new revision's statuses are the kept ones of the revision before with the published
    measure read anew, and the same as the whole plan read afresh, for every round."""
    for as_of in (None, world.reporting_round):
        rollups._stored_current(world.plan, as_of)  # kept for the revision before
    world.report(State.PUBLISHED, measure=world.other_measure)

    for as_of in (None, world.reporting_round):
        with CaptureQueriesContext(connection) as queries:
            stored = rollups._stored_current(world.plan, as_of)
        reads = [
            q["sql"] for q in queries.captured_queries if "monitoring_statusreport" in q["sql"]
        ]
        assert len(reads) == 1 and f'"measure_id" IN ({world.other_measure.pk})' in reads[0]
        assert stored == rollups._read_current(world.plan, as_of)
        assert stored is not None and set(stored.status_of) == {world.other_measure.pk}
    assert _counts(world.plan) == (1, 1)


def test_the_status_filter_counts_as_the_kept_roll_up_after_each_publication(
    world: World,
) -> None:
    """The measure list's status filter reads the kept statuses: after each publication it
    finds what the rule gives then, and exactly the measures the roll-up counts under it."""

    def key_of(report: StatusReport) -> str:
        assert report.status is not None
        return report.status.key

    first = world.report(State.PUBLISHED)
    key = key_of(first)
    assert rollups.measure_ids_with_status(world.plan, key) == {world.measure.pk}
    second = world.report(State.PUBLISHED, measure=world.other_measure)
    assert key_of(second) == key

    with CaptureQueriesContext(connection) as queries:
        found = rollups.measure_ids_with_status(world.plan, key)
    table = rollups.plan_rollup(world.plan)
    position = [s.key for s in table.statuses].index(key)

    assert found == {world.measure.pk, world.other_measure.pk}
    assert table.whole_plan.counts[position] == len(found)
    # The revision's statuses were brought up to date for the published measure only.
    reads = [q["sql"] for q in queries.captured_queries if "monitoring_statusreport" in q["sql"]]
    assert len(reads) == 1 and f'"measure_id" IN ({world.other_measure.pk})' in reads[0]
    assert rollups.measure_ids_with_status(world.plan, "no-such-status") == frozenset()
