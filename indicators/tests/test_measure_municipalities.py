"""Measures tagged with Gemeinden: the Gemeinde page and the measure list filter agree."""

from __future__ import annotations

import re

import pytest

from indicators.models import MeasureMunicipality, Municipality
from indicators.reads import measures_concerning
from monitoring.tests.factories import lead
from plans.models import Organisation
from plans.tests.factories import MeasureFactory, OrganisationFactory, PlacementFactory

pytestmark = pytest.mark.django_db

GRIMMA, BORNA = "14729160", "14729050"


def listed_numbers(html: str) -> list[str]:
    return re.findall(r'href="/massnahmen/(\d-\d+)/"', html)


def tag(plan, number: str, ags: str) -> None:
    MeasureMunicipality.objects.create(
        plan=plan,
        measure=plan.measures.get(number=number),
        municipality=Municipality.objects.get(ags=ags),
    )


def test_a_tagged_measure_concerns_its_gemeinde_only(municipalities):
    MeasureFactory(plan=municipalities, number="3-5", title="Radweg")
    tag(municipalities, "3-5", BORNA)

    assert "3-5" in {m.number for m in measures_concerning(municipalities, BORNA)}
    assert "3-5" not in {m.number for m in measures_concerning(municipalities, GRIMMA)}
    # 1-1 names Grimma in its title
    assert {m.number for m in measures_concerning(municipalities, GRIMMA)} == {"1-1"}


def test_the_measure_list_filters_by_gemeinde_as_the_gemeinde_page_lists(client, municipalities):
    MeasureFactory(plan=municipalities, number="3-5", title="Radweg")
    tag(municipalities, "3-5", BORNA)

    filtered = client.get(f"/massnahmen/?gemeinde={BORNA}").content.decode()
    page = client.get(f"/gemeinden/{BORNA}/").content.decode()
    on_page = listed_numbers(page.split('id="massnahmen"')[1])

    assert set(listed_numbers(filtered)) == {"3-5"} == set(on_page)
    assert f'href="/massnahmen/?gemeinde={BORNA}"' in page
    assert f'<option value="{BORNA}" selected>Borna</option>' in filtered


def test_the_gemeinde_filter_combines_with_other_filters(client, municipalities):
    MeasureFactory(plan=municipalities, number="3-5", title="Radweg")
    tag(municipalities, "3-5", BORNA)

    html = client.get(f"/massnahmen/?gemeinde={BORNA}&prioritaet=3").content.decode()

    assert listed_numbers(html) == []


def test_an_unknown_gemeinde_in_the_filter_is_an_error_not_a_crash(client, municipalities):
    response = client.get("/massnahmen/?gemeinde=99999999")

    assert response.status_code == 200
    assert "3-5" not in listed_numbers(response.content.decode())


def test_a_measure_led_by_kommunen_concerns_all_but_one_led_by_a_gemeinde_only_that_one(
    municipalities,
):
    kind = Organisation.Kind.MUNICIPALITY
    kommunen = OrganisationFactory(plan=municipalities, abbreviation="Kommunen", kind=kind)
    borna = OrganisationFactory(plan=municipalities, abbreviation="Borna", kind=kind, ags=BORNA)
    lead(PlacementFactory(measure=MeasureFactory(plan=municipalities, number="3-6")), kommunen)
    lead(PlacementFactory(measure=MeasureFactory(plan=municipalities, number="3-7")), borna)

    assert {m.number for m in measures_concerning(municipalities, GRIMMA)} == {"1-1", "3-6"}
    assert {m.number for m in measures_concerning(municipalities, BORNA)} == {"3-6", "3-7"}
