"""A softly deleted measure leaves every public surface and comes back when restored.

On KEK 2030 with 2-84, the measure with the most placements (14, under several fields, goals,
leads and key projects), so each page type has something to lose.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from plans.measure_deletion import restore_measures, soft_delete_measures
from plans.models import Measure, MeasureFacet, Placement, Plan

NUMBER = "2-84"
LINK = f'href="/massnahmen/{NUMBER}/"'


def _surfaces(plan: Plan) -> list[str]:
    """Every public page that links 2-84 while it is in the plan."""
    placements = Placement.objects.filter(plan=plan, measure__number=NUMBER)
    goals = sorted(set(placements.values_list("goal_code", flat=True)))
    leads = sorted(set(placements.values_list("lead_rows__organisation__abbreviation", flat=True)))
    # The measure list shows 50 per page: filter by the goals with fewer measures than that.
    short_lists = MeasureFacet.objects.filter(
        plan=plan, facet=MeasureFacet.Facet.GOAL, value__in=goals, measure_count__lte=50
    ).values_list("value", flat=True)
    return [
        *(f"/leitziele/{code}/" for code in goals),
        *(f"/organisationen/{abbreviation}/" for abbreviation in leads if abbreviation),
        *(f"/massnahmen/?leitziel={code}" for code in short_lists),
        "/verflechtungen/",
        "/suche/?q=Wohnfl%C3%A4chen-Monitoring",
    ]


def _csv_numbers(client: Any, plan: Plan) -> list[str]:
    response = client.get(f"/daten/{plan.slug}-massnahmen.csv")
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    rows = csv.DictReader(io.StringIO(text.decode("utf-8-sig")))
    return [row[next(iter(row))] for row in rows]


@pytest.fixture
def coordinator(db: Any) -> Any:
    return get_user_model().objects.create_user("koordinatorin")


def test_a_deleted_measure_leaves_pages_lists_counts_search_and_open_data(
    client: Any, kek_plan: Plan, coordinator: Any
) -> None:
    measure = Measure.objects.get(plan=kek_plan, number=NUMBER)
    surfaces = _surfaces(kek_plan)
    assert len(surfaces) >= 8
    for url in surfaces:
        assert LINK in client.get(url).content.decode(), url
    csv_before = _csv_numbers(client, kek_plan)
    field_count = MeasureFacet.objects.get(plan=kek_plan, facet="field", value="2").measure_count

    result = soft_delete_measures([measure.pk], user=coordinator, note="Mit 2-83 zusammengelegt")

    assert [m.number for m in result.done] == [NUMBER]
    assert client.get(f"/massnahmen/{NUMBER}/").status_code == 404
    for url in surfaces:
        response = client.get(url)
        assert response.status_code == 200, url
        assert LINK not in response.content.decode(), url
    csv_after = _csv_numbers(client, kek_plan)
    assert NUMBER not in csv_after
    assert len(csv_after) == len(csv_before) - 14
    plan_json = json.loads(client.get(f"/daten/{kek_plan.slug}-plan.json").getvalue())
    assert NUMBER not in {m["number"] for m in plan_json["measures"]}
    assert (
        MeasureFacet.objects.get(plan=kek_plan, facet="field", value="2").measure_count
        == field_count - 1
    )

    # Nothing was removed: the measure and its placements are still stored.
    stored = Measure.all_objects.get(pk=measure.pk)
    assert (stored.deleted_by, stored.deletion_note) == (coordinator, "Mit 2-83 zusammengelegt")
    assert Placement.all_objects.filter(measure=measure).count() == 14

    restore_measures([measure.pk], user=coordinator)

    assert client.get(f"/massnahmen/{NUMBER}/").status_code == 200
    for url in surfaces:
        assert LINK in client.get(url).content.decode(), url
    assert _csv_numbers(client, kek_plan) == csv_before
