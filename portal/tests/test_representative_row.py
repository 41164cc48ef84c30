"""Where one row stands for a measure, every consumer shows the same row.

A measure placed in several fields prints a different lead, priority or Leitziel there. The
measure list, the open-data files and the progress report all take them from the measure's
representative row (`plans.models.representative_row`); they once took three different rows and
disagreed for 24 of KEK 2030's measures.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from plans.models import Measure, Placement, Plan
from portal.open_data_rows import measure_rows
from reports.facts import MeasureCatalogue


def _list_rows(client: Any) -> dict[str, Any]:
    cache.clear()  # the view's context, not a cached response
    rows: dict[str, Any] = {}
    page = 1
    while True:
        response = client.get(f"/massnahmen/?page={page}")
        rows.update({row.number: row for row in response.context["rows"]})
        if not response.context["page_obj"].has_next():
            return rows
        page += 1


def test_the_list_the_open_data_and_the_report_show_the_same_row_of_each_measure(
    client: Any, kek_plan: Plan
) -> None:
    listed = _list_rows(client)
    files = {row["number"]: row for row in measure_rows(kek_plan)}
    catalogue = MeasureCatalogue.load(kek_plan)

    assert set(listed) == set(files) == set(Measure.objects.values_list("number", flat=True))
    for measure in Measure.objects.filter(plan=kek_plan):
        row = files[measure.number]
        assert (listed[measure.number].lead, listed[measure.number].priority) == (
            row["lead"] or "–",
            row["priority"] or "–",
        ), measure.number
        assert catalogue.home_goal(measure) == row["goal"], measure.number


def test_a_measure_placed_in_several_fields_is_shown_by_its_row_at_home(
    client: Any, kek_plan: Plan
) -> None:
    homes = dict(Measure.objects.values_list("pk", "home_field"))
    abroad_first = [
        placements[0]
        for placements in _rows_by_measure(kek_plan).values()
        if placements[0].field_number != homes[placements[0].measure_id]
        and any(p.field_number == homes[p.measure_id] for p in placements)
    ]
    assert abroad_first, "KEK 2030 has measures first printed outside their home field"
    files = {row["number"]: row for row in measure_rows(kek_plan)}
    for first in abroad_first:
        home_row = next(
            p
            for p in _rows_by_measure(kek_plan)[first.measure_id]
            if p.field_number == homes[first.measure_id]
        )
        assert files[first.measure.number]["lead"] == home_row.lead


def _rows_by_measure(plan: Plan) -> dict[int, list[Placement]]:
    rows: dict[int, list[Placement]] = {}
    for placement in (
        Placement.objects.filter(plan=plan, parent__isnull=True)
        .select_related("measure")
        .in_document_order()
    ):
        rows.setdefault(placement.measure_id, []).append(placement)
    return rows
