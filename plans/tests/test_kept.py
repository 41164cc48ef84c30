"""Results kept per plan revision (plans/kept.py), with committed writes."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from plans.kept import kept_already, kept_per_revision
from plans.services import mark_plan_changed, mark_statuses_changed
from plans.tests.factories import PlanFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _own_cache(settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()


class Counter:
    """A computation that counts its calls and returns the count."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        return self.calls


def test_a_result_is_computed_once_per_revision_and_anew_after_a_change() -> None:
    plan: Any = PlanFactory()
    statuses, catalogue = Counter(), Counter()

    def read() -> tuple[Any, Any]:
        return (
            kept_per_revision(plan.pk, "statuses", statuses),
            kept_per_revision(plan.pk, "catalogue", catalogue, catalogue=True),
        )

    assert read() == read() == (1, 1)
    mark_statuses_changed(plan.pk, [])  # a publication: the catalogue is the same
    assert read() == read() == (2, 1)
    mark_plan_changed(plan.pk)  # a change of the catalogue moves both revisions
    assert read() == read() == (3, 2)
    assert kept_already(plan.pk, "statuses") == 3  # kept, found without computing
    assert kept_already(plan.pk, "other") is None  # nothing kept under that name


def test_nothing_is_kept_inside_a_transaction() -> None:
    plan: Any = PlanFactory()
    computed = Counter()
    with transaction.atomic():
        assert kept_per_revision(plan.pk, "x", computed) == 1
        assert kept_per_revision(plan.pk, "x", computed) == 2
        assert kept_already(plan.pk, "x") is None

    assert kept_per_revision(plan.pk, "x", computed) == 3
    assert kept_per_revision(plan.pk, "x", computed) == 3
    assert kept_already(plan.pk, "x") == 3


def test_a_result_of_the_statuses_is_brought_up_to_date_from_the_revision_before() -> None:
    plan: Any = PlanFactory()
    computed = Counter()
    updates: list[tuple[Any, list[int]]] = []

    def update(earlier: Any, changed: list[int]) -> Any:
        updates.append((earlier, changed))
        return f"{earlier}+{changed}"

    def read() -> Any:
        return kept_per_revision(plan.pk, "statuses", computed, update=update)

    assert read() == 1
    mark_statuses_changed(plan.pk, [7])  # a publication, recorded after its commit
    assert read() == "1+[7]" and computed.calls == 1
    mark_statuses_changed(plan.pk, [3])
    mark_statuses_changed(plan.pk, [7, 9])  # two changes since the last result kept
    assert read() == "1+[7]+[3, 7, 9]"
    mark_plan_changed(plan.pk)  # the catalogue records no measures: computed afresh
    assert read() == 2 and computed.calls == 2
    with transaction.atomic():  # not committed yet: not recorded, nothing kept
        mark_statuses_changed(plan.pk, [1])
        assert read() == 3
    assert read() == "2+[1]"  # after the commit, recorded
    assert len(updates) == 3
