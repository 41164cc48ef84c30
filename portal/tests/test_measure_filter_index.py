"""The measure facets behind the filters give exactly what a query over the placements gives."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.db.models import Q
from django.forms import ChoiceField
from django.http import QueryDict

from plans.models import Measure, MeasureFacet, Organisation, Placement, PlacementLead
from plans.services import import_parsed_plan, mark_catalogue_changed
from portal.measure_filters import MeasureFilterForm


def filtered(plan, query: str) -> list[str]:
    """Numbers the measure list shows for a query string, in the list's order."""
    matches = MeasureFilterForm(QueryDict(query), plan=plan).matches()
    return [m.number for m in matches[0 : matches.count()]]


def placed(plan, **criteria: object) -> Q:
    """Measures with some placement meeting the criteria (what each filter means)."""
    return Q(pk__in=Placement.objects.filter(plan=plan, **criteria).values("measure_id"))


def directly(plan, *conditions: Q) -> list[str]:
    measures = Measure.objects.filter(*conditions, plan=plan).in_number_order()
    return list(measures.values_list("number", flat=True))


def every_choice(plan, name: str) -> list[str]:
    form = MeasureFilterForm(None, plan=plan)
    field = form.fields[name]
    assert isinstance(field, ChoiceField)
    return [str(value) for value, _label in field.choices if value]


def test_each_field_goal_and_priority_filter_matches_the_placements(kek_plan):
    for key in every_choice(kek_plan, "feld"):
        expected = directly(kek_plan, placed(kek_plan, field_number=int(key)))
        assert filtered(kek_plan, f"feld={key}") == expected, key
    for code in every_choice(kek_plan, "leitziel"):
        expected = directly(kek_plan, placed(kek_plan, goal_code=code))
        assert filtered(kek_plan, f"leitziel={code}") == expected, code
    for level in every_choice(kek_plan, "prioritaet"):
        expected = directly(kek_plan, placed(kek_plan, priority_level=int(level)))
        assert filtered(kek_plan, f"prioritaet={level}") == expected, level


def test_each_subgoal_filter_matches_rows_under_the_subgoal_and_its_approaches(kek_plan):
    found = 0
    for key in every_choice(kek_plan, "teilziel"):
        rows = placed(kek_plan, node__key=key) | placed(kek_plan, node__key__startswith=f"{key}.")
        expected = directly(kek_plan, rows)
        assert filtered(kek_plan, f"teilziel={key}") == expected, key
        found += len(expected)
    assert found > 200


def test_each_organisation_and_key_project_filter_matches_the_printed_rows(kek_plan):
    for abbreviation in every_choice(kek_plan, "federfuehrung"):
        lead = placed(kek_plan, lead_rows__organisation__abbreviation=abbreviation)
        participant = placed(kek_plan, participant_rows__organisation__abbreviation=abbreviation)
        query = QueryDict(mutable=True)
        query["federfuehrung"] = abbreviation
        assert filtered(kek_plan, query.urlencode()) == directly(kek_plan, lead), abbreviation
        query = QueryDict(mutable=True)
        query["beteiligt"] = abbreviation
        assert filtered(kek_plan, query.urlencode()) == directly(kek_plan, participant)
    for code in every_choice(kek_plan, "sv"):
        rows = placed(kek_plan, key_project_rows__key_project__code=code)
        assert filtered(kek_plan, f"sv={code}") == directly(kek_plan, rows), code


@pytest.mark.parametrize(
    "query",
    [
        "feld=2&federfuehrung=SLR",
        "feld=2&federfuehrung=SLR&prioritaet=3",
        "kommission=on",
        "kommission=on&feld=1",
        "leitziel=3.1&beteiligt=Kommunen",
        "feld=3&prioritaet=2&sv=SV+III.2",
    ],
)
def test_combined_filters_may_be_met_by_different_placements(kek_plan, query):
    data = QueryDict(query)
    conditions = []
    if "feld" in data:
        conditions.append(placed(kek_plan, field_number=int(data["feld"])))
    if "leitziel" in data:
        conditions.append(placed(kek_plan, goal_code=data["leitziel"]))
    if "federfuehrung" in data:
        lead = data["federfuehrung"]
        conditions.append(placed(kek_plan, lead_rows__organisation__abbreviation=lead))
    if "beteiligt" in data:
        name = data["beteiligt"]
        conditions.append(placed(kek_plan, participant_rows__organisation__abbreviation=name))
    if "prioritaet" in data:
        conditions.append(placed(kek_plan, priority_level=int(data["prioritaet"])))
    if "sv" in data:
        conditions.append(placed(kek_plan, key_project_rows__key_project__code=data["sv"]))
    if "kommission" in data:
        conditions.append(placed(kek_plan, commission=True))

    expected = directly(kek_plan, *conditions)
    assert filtered(kek_plan, query) == expected
    assert expected


def test_a_page_of_a_filtered_list_holds_the_measures_of_that_page(kek_plan):
    matches = MeasureFilterForm(QueryDict("feld=1"), plan=kek_plan).matches()
    everything = [m.number for m in matches[0 : matches.count()]]
    assert len(everything) > 60
    assert [m.number for m in matches[50:100]] == everything[50:100]


def test_a_back_office_change_reaches_the_facets(kek_plan):
    measure = Measure.objects.get(plan=kek_plan, number="1-1")
    vhs = Organisation.objects.get(plan=kek_plan, abbreviation="VHS")
    assert "1-1" not in filtered(kek_plan, "federfuehrung=VHS")
    placement = measure.placements.first()
    PlacementLead.objects.create(placement=placement, organisation=vhs, position=99)

    mark_catalogue_changed(kek_plan.pk)  # what every back-office save does

    assert filtered(kek_plan, "federfuehrung=VHS")[0] == "1-1"  # number order kept
    facet = MeasureFacet.objects.get(plan=kek_plan, facet="lead", value="VHS")
    assert facet.measure_count == len(facet.measure_ids) and measure.pk in facet.measure_ids


def test_facets_follow_a_removed_lead_and_vanish_with_their_last_measure(kek_plan):
    only_led = MeasureFacet.objects.filter(plan=kek_plan, facet="lead", measure_count=1).first()
    PlacementLead.objects.filter(
        placement__plan=kek_plan, organisation__abbreviation=only_led.value
    ).delete()

    mark_catalogue_changed(kek_plan.pk)

    assert not MeasureFacet.objects.filter(pk=only_led.pk).exists()
    assert filtered(kek_plan, urlencode({"federfuehrung": only_led.value})) == []


def test_an_unchanged_import_leaves_the_facets_alone(kek_plan, kek_parsed):
    def stored():
        return set(MeasureFacet.objects.filter(plan=kek_plan).values_list("pk", "measure_count")), {
            f.pk: f.measure_ids for f in MeasureFacet.objects.filter(plan=kek_plan)
        }

    before = stored()
    import_parsed_plan(kek_parsed, apply=True)
    mark_catalogue_changed(kek_plan.pk)
    assert stored() == before


def test_the_status_filter_combines_with_facet_filters(kek_plan):
    import datetime

    from django.contrib.auth import get_user_model

    from monitoring import services
    from monitoring.models import StatusOption

    coordinator = get_user_model().objects.create_superuser("koordination-test", "", "pw-123456!")
    reporting_round = services.open_round(
        coordinator,
        kek_plan,
        "Monitoring 2026",
        datetime.date(2026, 12, 31),
        datetime.date(2027, 1, 31),
    )
    status = StatusOption.objects.filter(plan=kek_plan, is_continuous=False).order_by("order")[2]
    for number in ("2-96", "1-1"):  # 2-96 is led by SLR in field 2, 1-1 is not
        measure = Measure.objects.get(plan=kek_plan, number=number)
        lead = Organisation.objects.filter(lead_rows__placement__measure=measure).first()
        report = services.start_report(coordinator, reporting_round, measure, organisation=lead)
        data = {"status": status, "progress": 40, "summary": "Erste Auswertung liegt vor."}
        report = services.save_report(coordinator, report, data, report.version)
        for step in (services.submit_report, services.approve_report, services.publish_report):
            report.refresh_from_db()
            step(coordinator, report)

    assert filtered(kek_plan, f"status={status.key}") == ["1-1", "2-96"]
    assert filtered(kek_plan, f"status={status.key}&feld=2&federfuehrung=SLR") == ["2-96"]
    assert filtered(kek_plan, f"status={status.key}&kommission=on") == []
