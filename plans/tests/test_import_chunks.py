"""A large plan imports although the database caps the variables of a statement.

SQLite refuses a statement with more variables than its limit (250,000 in Debian's build: a
1000× plan has 307,000 placements). Here the cap is lowered to CAP on both databases, so a plan of
a few hundred rows meets it as the 1000× plan meets the real one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import OperationalError, connection

from plans.models import Measure, Placement, PlacementLead, Plan, Step
from plans.services import import_parsed_plan
from plans.synthetic import scaled_plan
from plans.tests.parsed_plans import small_plan
from search.models import SearchEntry

pytestmark = pytest.mark.django_db

CAP = 120


@pytest.fixture
def variable_cap(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Refuse every statement with more than CAP variables; Django's own batching knows CAP."""
    monkeypatch.setattr(connection.features, "max_query_params", CAP)
    counts: list[int] = []

    def refuse(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if many:
            params = list(params)
        for row in params if many else [params]:
            counts.append(len(row or ()))
            if counts[-1] > CAP:
                raise OperationalError(f"too many SQL variables ({counts[-1]})")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield counts


def test_a_plan_larger_than_the_variable_limit_imports(variable_cap):
    parsed = scaled_plan(small_plan(), 30)  # 180 placements, 120 measures, 150 steps

    result = import_parsed_plan(parsed, apply=True)

    assert result.plan_created and result.applied
    assert Placement.objects.count() == 180
    assert Measure.objects.count() == 120
    assert Step.objects.count() == 150
    assert PlacementLead.objects.count() == 7 * 30
    assert SearchEntry.objects.filter(kind=SearchEntry.Kind.MEASURE).count() == 120
    assert max(variable_cap) <= CAP


def test_a_large_plan_shrinking_to_a_third_is_updated_within_the_limit(variable_cap):
    import_parsed_plan(scaled_plan(small_plan(), 30), apply=True)
    smaller = scaled_plan(small_plan(), 10)
    smaller.placements[0].lead_organisations.reverse()  # a relation of a kept row changes

    result = import_parsed_plan(smaller, apply=True)

    assert result.applied
    assert Placement.objects.count() == 60
    assert Measure.objects.count() == 40
    assert Measure.all_objects.deleted().count() == 80
    assert Step.objects.count() == 50
    assert Plan.objects.get().revision == 2
    first = Placement.objects.get(order=0)
    leads = [r.organisation.abbreviation for r in first.lead_rows.order_by("position")]
    assert leads == list(smaller.placements[0].lead_organisations)
    assert SearchEntry.objects.filter(kind=SearchEntry.Kind.MEASURE).count() == 40
    assert max(variable_cap) <= CAP
