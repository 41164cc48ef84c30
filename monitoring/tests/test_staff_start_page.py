"""The staff start page: the measures an organisation takes part in, opening a measure by number."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.tests.factories import World, participant
from plans.tests.factories import MeasureFactory, PlacementFactory


def _page(response: Any) -> str:
    return response.content.decode()


def test_participant_finds_the_measures_its_organisation_takes_part_in_on_the_start_page(
    staff_client: Any, world: World
) -> None:
    page = _page(staff_client("participant").get("/intern/"))
    assert "Maßnahmen mit Beteiligung von UWA" in page
    assert 'href="/intern/massnahmen/1-1/"' in page
    assert 'href="/intern/massnahmen/1-2/"' not in page  # UWA takes no part in 1-2


def test_participation_counts_in_building_blocks_too(staff_client: Any, world: World) -> None:
    block = PlacementFactory(
        measure=world.other_measure, parent=PlacementFactory(measure=world.other_measure)
    )
    participant(block, world.uwa)
    page = _page(staff_client("participant").get("/intern/"))
    assert 'href="/intern/massnahmen/1-2/"' in page


def test_every_role_gets_the_form_to_open_a_measure_by_its_number(
    staff_client: Any, world: World
) -> None:
    for persona in ("coordination", "editor_of_lead_office", "participant", "reader"):
        page = _page(staff_client(persona).get("/intern/"))
        assert 'action="/intern/massnahme/"' in page, persona
        assert 'name="nummer"' in page, persona
        assert "Maßnahme öffnen" in page, persona
    assert "Maßnahmen mit Beteiligung" not in page  # the reader acts for no organisation


def test_the_number_typed_leads_to_the_staff_page_of_the_measure(
    staff_client: Any, world: World
) -> None:
    client = staff_client("reader")
    for typed in ("1-1", " 1 - 1 ", "1–1"):
        response = client.get("/intern/massnahme/", {"nummer": typed})
        assert response.status_code == 302, typed
        assert response["Location"] == "/intern/massnahmen/1-1/"


def test_an_unknown_number_answers_404_in_german_with_the_form_again(
    staff_client: Any, world: World
) -> None:
    client = staff_client("participant")
    response = client.get("/intern/massnahme/", {"nummer": "9-99"})
    assert response.status_code == 404
    page = _page(response)
    assert "Es gibt keine Maßnahme mit der Nummer „9-99“." in page
    assert 'value="9-99"' in page and 'aria-invalid="true"' in page
    assert len(re.findall(r"<h1[ >]", page)) == 1
    assert client.get("/intern/massnahme/").status_code == 400


def test_the_start_page_query_count_does_not_grow_with_the_participations(
    staff_client: Any, world: World
) -> None:
    client = staff_client("participant")
    with CaptureQueriesContext(connection) as few:
        client.get("/intern/")
    for number in range(3, 23):
        participant(
            PlacementFactory(measure=MeasureFactory(plan=world.plan, number=f"1-{number}")),
            world.uwa,
        )
    with CaptureQueriesContext(connection) as many:
        page = _page(client.get("/intern/"))
    assert page.count('href="/intern/massnahmen/1-') == 21
    assert len(few) == len(many)
