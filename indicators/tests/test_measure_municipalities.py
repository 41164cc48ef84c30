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


def test_the_gemeinde_page_shows_each_measure_with_its_status_and_at_most_a_page_of_them(
    client, municipalities
):
    from datetime import date

    from django.utils import timezone

    from indicators.reads import MEASURES_SHOWN
    from monitoring.models import ReportingRound, StatusReport
    from monitoring.services import ensure_default_statuses
    from portal.tests.status_markup import status_cells

    numbers = [f"3-{n}" for n in range(1, MEASURES_SHOWN + 6)]
    for number in numbers:
        MeasureFactory(plan=municipalities, number=number, title="Radweg")
        tag(municipalities, number, BORNA)
    statuses = ensure_default_statuses(municipalities)
    reporting_round = ReportingRound.objects.create(
        plan=municipalities,
        name="Monitoring 2026",
        reporting_date=date(2026, 6, 30),
        deadline=date(2026, 9, 30),
    )
    StatusReport.objects.create(
        reporting_round=reporting_round,
        measure=municipalities.measures.get(number="3-1"),
        organisation=OrganisationFactory(plan=municipalities, abbreviation="VA"),
        status=statuses[0],
        progress=40,
        state=StatusReport.State.PUBLISHED,
        published_at=timezone.now(),
    )

    page = client.get(f"/gemeinden/{BORNA}/").content.decode().split('id="massnahmen"')[1]
    cells = dict(status_cells(page))

    assert len(cells) == MEASURES_SHOWN  # in number order: 3-1 … 3-50
    assert cells["3-1"] == (statuses[0].label, "40 %", "Monitoring 2026")
    assert cells["3-2"] == ("noch kein Bericht", "", "")
    assert f"Die ersten {MEASURES_SHOWN} von {len(numbers)} Maßnahmen." in page
    assert f'href="/massnahmen/?gemeinde={BORNA}">Alle {len(numbers)} in der Maßnahmenliste' in page
