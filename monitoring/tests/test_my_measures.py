"""Meine Maßnahmen: whose reports, filters in the URL, pages of fifty, constant queries."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Membership
from monitoring import services
from monitoring.models import ReportingRound, StatusReport
from monitoring.tests.factories import MembershipFactory, UserFactory, World
from monitoring.tests.test_worklists import add_other_leads
from plans.models import Measure, Organisation, Plan

State = StatusReport.State
URL = "/intern/massnahmen/"


def rows(page: str) -> list[str]:
    """The ids of the table rows (one per report to write)."""
    return re.findall(r'<tr class="kern-table__row" id="(massnahme-[^"]+)"', page)


def numbers(page: str) -> list[str]:
    return re.findall(r'<span class="portal-code">([^<]+)</span>', page)


# --- whose reports -------------------------------------------------------------------------


def test_coordination_lists_the_reports_it_writes_for_leads_that_are_no_office(
    staff_client: Any, world: World
) -> None:
    other = add_other_leads(world)
    page = staff_client("coordination").get(URL).content.decode()
    assert numbers(page) == ["1-3", "1-4", "1-5"]
    assert f"massnahme-1-3-{other['kommunen'].pk}" in rows(page)
    assert "Federführung" in page and "ZVNL" in page
    assert "Die Koordination hat in „Monitoring 2026“ noch 3 Berichte einzureichen" in page


def test_office_editor_lists_only_its_offices_reports(staff_client: Any, world: World) -> None:
    add_other_leads(world)
    page = staff_client("editor_of_lead_office").get(URL).content.decode()
    assert rows(page) == ["massnahme-1-1", "massnahme-1-4"]
    assert "AfS hat noch 2 Berichte einzureichen" in page
    assert "Federführung" not in page


def test_participant_is_told_that_it_writes_no_reports(staff_client: Any, world: World) -> None:
    page = staff_client("participant").get(URL).content.decode()
    assert rows(page) == []
    assert "Ihre Rolle liest die Berichte" in page


def test_editor_of_a_municipality_is_told_that_the_coordination_reports(
    staff_client: Any, world: World
) -> None:
    other = add_other_leads(world)
    user = UserFactory(username="kommune")
    MembershipFactory(
        user=user, plan=world.plan, role=Membership.Role.EDITOR, organisation=other["kommunen"]
    )
    client = staff_client("anonymous")
    client.force_login(user)
    page = client.get(URL).content.decode()
    assert rows(page) == []
    assert "Kommunen ist kein Amt des Landratsamtes" in page


def test_home_links_the_coordination_to_its_reports(staff_client: Any, world: World) -> None:
    page = staff_client("coordination").get("/intern/").content.decode()
    assert "Meine Maßnahmen: die Berichte, die die Koordination" in page


def test_dashboard_shows_the_coordinations_group_with_its_own_counts(
    staff_client: Any, world: World
) -> None:
    add_other_leads(world)
    response = staff_client("coordination").get(f"/intern/runden/{world.reporting_round.pk}/")
    page = response.content.decode()
    assert "Von der Koordination zu berichten" in page
    dashboard = response.context["dashboard"]
    assert (dashboard.office_totals.total, dashboard.coordination_totals.total) == (3, 3)
    assert len(re.findall(r"<h1[ >]", page)) == 1


# --- filters -------------------------------------------------------------------------------


def test_filters_live_in_the_url_and_combine(staff_client: Any, world: World) -> None:
    add_other_leads(world)
    world.report(State.SUBMITTED)
    client = staff_client("editor_of_lead_office")
    assert numbers(client.get(URL, {"stand": "submitted"}).content.decode()) == ["1-1"]
    assert numbers(client.get(URL, {"stand": "outstanding"}).content.decode()) == ["1-4"]
    assert numbers(client.get(URL, {"feld": "2"}).content.decode()) == ["1-4"]
    page = client.get(URL, {"q": "radweg", "stand": "submitted", "feld": "1"}).content.decode()
    assert numbers(page) == ["1-1"]
    assert "1 von 2 Berichten entspricht den Filtern" in page
    page = client.get(URL, {"q": "gibt es nicht"}).content.decode()
    assert "Kein Bericht entspricht den Filtern." in page


def test_the_state_counts_link_to_their_filter(staff_client: Any, world: World) -> None:
    world.report(State.RETURNED)
    page = staff_client("editor_of_lead_office").get(URL, {"q": "1-"}).content.decode()
    assert 'href="?q=1-&amp;stand=returned">zurückgegeben: 1</a>' in page
    assert ">fehlt: 0</a>" in page


def test_an_invalid_filter_is_named_and_ignored(staff_client: Any, world: World) -> None:
    response = staff_client("editor_of_lead_office").get(URL, {"stand": "x", "feld": "9"})
    page = response.content.decode()
    assert response.status_code == 200
    assert numbers(page) == ["1-1"]
    assert page.count("Bitte eine gültige Auswahl treffen") == 2
    assert 'aria-invalid="true"' in page


def test_the_round_can_be_chosen_when_several_are_open(staff_client: Any, world: World) -> None:
    client = staff_client("editor_of_lead_office")
    assert 'name="runde"' not in client.get(URL).content.decode()
    older = world.reporting_round
    world.report(State.SUBMITTED)
    newer = services.open_round(
        world.coordination,
        world.plan,
        "Monitoring 2027",
        datetime.date(2027, 6, 30),
        datetime.date(2027, 9, 30),
    )
    page = client.get(URL).content.decode()
    assert 'name="runde"' in page
    assert "Monitoring 2026 (0 ausstehend)" in page
    assert "Monitoring 2027 (1 ausstehend)" in page
    assert '<h2 class="kern-heading-large">Monitoring 2027</h2>' in page  # the newest first
    page = client.get(URL, {"runde": older.pk}).content.decode()
    assert '<h2 class="kern-heading-large">Monitoring 2026</h2>' in page
    assert "eingereicht" in page
    assert newer.pk != older.pk


# --- KEK 2030: a big office, pages, query counts ---------------------------------------------


@pytest.fixture
def kek_staff(kek_plan: Plan, client: Any, settings: Any) -> dict[str, Any]:
    """KEK 2030 with the coordination, an SLR editor (SLR leads the most: 90) and a round."""
    settings.KEK_PLAN_SLUG = kek_plan.slug
    slr = Organisation.objects.get(plan=kek_plan, abbreviation="SLR")
    coordination = UserFactory(username="koordination")
    MembershipFactory(user=coordination, plan=kek_plan, role=Membership.Role.COORDINATION)
    editor = UserFactory(username="redaktion-slr")
    MembershipFactory(user=editor, plan=kek_plan, role=Membership.Role.EDITOR, organisation=slr)
    reporting_round = services.open_round(
        coordination,
        kek_plan,
        "Monitoring 2026",
        datetime.date(2026, 6, 30),
        datetime.date(2026, 9, 30),
    )
    return {
        "plan": kek_plan,
        "slr": slr,
        "coordination": coordination,
        "editor": editor,
        "round": reporting_round,
    }


def _start_reports(kek_staff: dict[str, Any], count: int) -> None:
    """Start `count` more SLR reports in the round (by the SLR editor)."""
    reporting_round: ReportingRound = kek_staff["round"]
    slr = kek_staff["slr"]
    started = StatusReport.objects.filter(reporting_round=reporting_round).values("measure_id")
    measures = (
        Measure.objects.filter(plan=kek_staff["plan"], placements__lead_rows__organisation=slr)
        .exclude(pk__in=started)
        .distinct()
        .in_number_order()[:count]
    )
    for measure in measures:
        services.start_report(kek_staff["editor"], reporting_round, measure, slr)


def _queries(client: Any, url: str, **params: Any) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_slr_sees_its_90_measures_in_pages_of_fifty(kek_staff: dict[str, Any], client: Any) -> None:
    client.force_login(kek_staff["editor"])
    page = client.get(URL).content.decode()
    assert len(rows(page)) == 50
    assert "SLR hat noch 90 Berichte einzureichen" in page
    assert "Seite 1 von 2" in page
    page = client.get(URL, {"stand": "missing", "page": 2}).content.decode()
    assert len(rows(page)) == 40
    assert 'href="?stand=missing&amp;page=1"' in page  # the filter stays in the page links


def test_coordination_sees_the_108_reports_it_writes_on_kek_2030(
    kek_staff: dict[str, Any], client: Any
) -> None:
    client.force_login(kek_staff["coordination"])
    page = client.get(URL).content.decode()
    assert "Die Koordination hat in „Monitoring 2026“ noch 108 Berichte einzureichen" in page
    assert "108 Berichte in dieser Runde." in page
    assert len(set(rows(page))) == 50  # row ids are unique although measures repeat
    dashboard = client.get(f"/intern/runden/{kek_staff['round'].pk}/").context["dashboard"]
    assert dashboard.coordination_totals.outstanding == 108
    assert dashboard.office_totals.outstanding == 232


@pytest.mark.parametrize("persona", ["editor", "coordination"])
def test_my_measures_query_count_does_not_grow_with_the_reports(
    kek_staff: dict[str, Any], client: Any, persona: str
) -> None:
    client.force_login(kek_staff[persona])
    _start_reports(kek_staff, 2)
    few, _page = _queries(client, URL)
    _start_reports(kek_staff, 60)
    many, page = _queries(client, URL)
    assert "Bericht bearbeiten" in page or persona == "coordination"
    assert few == many
    filtered, _page = _queries(client, URL, stand="draft", q="2-", page=2)
    assert filtered == many


def test_dashboard_query_count_does_not_grow_with_the_reports(
    kek_staff: dict[str, Any], client: Any
) -> None:
    client.force_login(kek_staff["coordination"])
    url = f"/intern/runden/{kek_staff['round'].pk}/"
    _start_reports(kek_staff, 2)
    few, _page = _queries(client, url)
    _start_reports(kek_staff, 60)
    many, page = _queries(client, url)
    assert few == many
    assert "Von der Koordination zu berichten" in page


def _page(response: Any) -> str:
    return response.content.decode()


def test_state_counts_follow_the_field_and_text_filters(staff_client: Any, world: World) -> None:
    add_other_leads(world)  # AfS also leads 1-4 (field 2)
    client = staff_client("editor_of_lead_office")
    assert ">fehlt: 2</a>" in _page(client.get("/intern/massnahmen/"))
    page = _page(client.get("/intern/massnahmen/", {"feld": "2"}))
    assert 'href="?feld=2&amp;stand=missing">fehlt: 1</a>' in page
    page = _page(client.get("/intern/massnahmen/", {"q": "radweg"}))
    assert ">fehlt: 1</a>" in page
    assert "1 von 2 Berichten entspricht den Filtern." in page
