"""Start, field, goal, measure, measure list and search pages on the real KEK 2030."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from plans.models import Measure, Node, Placement
from plans.services import import_parsed_plan, mark_catalogue_changed
from plans.synthetic import scaled_plan
from portal.tests.status_markup import status_cells

PAGES = [
    "/",
    "/handlungsfelder/1/",
    "/leitziele/1.3/",
    "/teilziele/1.1.1/",
    "/massnahmen/2-84/",
    "/massnahmen/",
    "/massnahmen/?feld=2&federfuehrung=SLR&prioritaet=3",
    "/suche/?q=Radweg",
]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


@pytest.mark.parametrize("url", PAGES)
def test_every_page_type_opens_with_exactly_one_heading(client, kek_plan, url):
    response = client.get(url)
    assert response.status_code == 200
    assert h1_count(response.content.decode()) == 1


@pytest.mark.parametrize(
    "url", ["/massnahmen/9-9/", "/leitziele/9.9/", "/handlungsfelder/7/", "/teilziele/9.9.9/"]
)
def test_unknown_measures_goals_and_fields_are_not_found(client, kek_plan, url):
    assert client.get(url).status_code == 404


def test_start_page_shows_the_three_fields_with_their_colours(client, kek_plan):
    html = client.get("/").content.decode()
    for colour, name in [
        ("blue", "Starker Wirtschaftsstandort"),
        ("red", "L(i)ebenswerte Orte"),
        ("green", "Nachhaltiger Lebensraum"),
    ]:
        assert f"portal-field--{colour}" in html
        assert name in html
    assert "233" in html  # measures in the plan


def test_measure_page_shows_every_placement_of_the_measure(client, kek_plan):
    html = client.get("/massnahmen/2-84/").content.decode()
    placements = Placement.objects.filter(plan=kek_plan, measure__number="2-84").count()
    assert placements == 14  # 9 rows numbered 2-84 and the 5 building blocks in Leitziel 3.1
    assert html.count('class="portal-placement ') == placements
    assert "Aufbau eines umfassenden, zentralen Monitoringsystems" in html
    assert "Wohnflächen-Monitoring" in html  # a building block of 2-84 in Leitziel 3.1


def test_measure_page_links_each_key_project_to_its_page(client, kek_plan):
    html = client.get("/massnahmen/2-84/").content.decode()

    assert '<a class="kern-link" href="/schluesselvorhaben/sv-ii-1/">SV II.1</a>' in html
    assert '<a class="kern-link" href="/schluesselvorhaben/sv-iii-3/">SV III.3</a>' in html
    assert client.get("/schluesselvorhaben/sv-iii-3/").status_code == 200


def test_interlinked_measure_is_marked_with_the_other_fields(client, kek_plan):
    html = client.get("/massnahmen/3-34/").content.decode()
    assert "verflochten mit" in html
    assert "Handlungsfeld 1" in html and "Handlungsfeld 2" in html


def test_commission_flag_is_explained(client, kek_plan):
    html = client.get("/massnahmen/1-3/").content.decode()
    assert "Kommission für Wachstum, Strukturwandel und Beschäftigung" in html


def test_goal_page_lists_the_measures_of_its_tables(client, kek_plan):
    html = client.get("/leitziele/1.3/").content.decode()
    shown = set(re.findall(r'href="/massnahmen/([0-9]-[0-9]+)/"', html))
    expected = set(
        Placement.objects.filter(plan=kek_plan, goal_code="1.3").values_list(
            "measure__number", flat=True
        )
    )
    assert shown == expected
    assert "Seite 20 - 21" in html  # the subgoal's page reference


def test_a_goal_row_shows_lead_priority_and_interlinking_without_stray_separators(client, kek_plan):
    html = client.get("/leitziele/1.3/").content.decode()
    metas = [
        " ".join(m.split())
        for m in re.findall(r'<span class="portal-measure-row__meta[^"]*">(.*?)</span>', html, re.S)
    ]
    without_lead = Placement.objects.filter(plan=kek_plan, goal_code="1.3", lead="").count()
    assert without_lead and len(metas) == Placement.objects.filter(goal_code="1.3").count()
    assert any(m.startswith("Priorität:") for m in metas)  # a row without a lead
    assert not [m for m in metas if m.startswith("·") or m.endswith("·") or "· ·" in m]


def test_filters_combine_and_match_a_direct_query(client, kek_plan):
    html = client.get("/massnahmen/?feld=2&federfuehrung=SLR").content.decode()
    shown = set(re.findall(r'href="/massnahmen/([0-9]-[0-9]+)/"', html))
    in_field = set(
        Placement.objects.filter(plan=kek_plan, field_number=2).values_list(
            "measure__number", flat=True
        )
    )
    led = set(
        Placement.objects.filter(
            plan=kek_plan, lead_rows__organisation__abbreviation="SLR"
        ).values_list("measure__number", flat=True)
    )
    assert shown == in_field & led
    assert shown


def test_an_invalid_filter_value_gets_a_german_message(client, kek_plan):
    html = client.get("/massnahmen/?prioritaet=7").content.decode()
    assert "Bitte eine gültige Auswahl treffen" in html


def test_htmx_requests_get_only_the_results(client, kek_plan):
    response = client.get("/massnahmen/?kommission=on", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "Gefundene Maßnahmen: 11" in html


def test_search_highlights_hits(client, kek_plan):
    html = client.get("/suche/?q=Radweg").content.decode()
    assert "<mark>Radweg</mark>" in html
    assert 'href="/massnahmen/3-55/"' in html


def test_an_edit_in_the_back_office_shows_on_the_next_request(client, kek_plan):
    assert "Neuer Wortlaut" not in client.get("/massnahmen/1-1/").content.decode()
    Measure.objects.filter(plan=kek_plan, number="1-1").update(title="Neuer Wortlaut")
    mark_catalogue_changed(kek_plan.pk)  # what every back-office save does
    assert "Neuer Wortlaut" in client.get("/massnahmen/1-1/").content.decode()


def test_pages_are_served_from_the_cache_while_the_plan_is_unchanged(client, kek_plan):
    client.get("/massnahmen/2-84/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/massnahmen/2-84/").status_code == 200
    assert len(queries) == 1  # only the plan's row, for its revision


def query_count(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", PAGES)
def test_query_count_does_not_grow_with_the_plan(client, db, kek_parsed, url):
    import_parsed_plan(kek_parsed, apply=True)
    client.get("/suche/?q=x")  # builds the search index outside the measured request
    at_1 = query_count(client, url)
    import_parsed_plan(scaled_plan(kek_parsed, 10), apply=True)
    client.get("/suche/?q=x")
    at_10 = query_count(client, url)
    assert at_10 == at_1, (url, at_1, at_10)


def test_a_back_office_edit_through_the_admin_shows_on_the_next_portal_request(
    admin_client, client, kek_plan
):
    from django.urls import reverse

    from plans.models import Organisation

    afs = Organisation.objects.get(plan=kek_plan, abbreviation="AfS")
    before = client.get("/organisationen/AfS/").content.decode()  # now in the page cache
    assert "Amt für Straßenbau" in before and "Brückenbau" not in before
    url = reverse("admin:plans_organisation_change", args=[afs.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"name": "Amt für Straßen- und Brückenbau", "aliases": '["Afs"]', "plan": kek_plan.pk}
    data["in_glossary"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    html = client.get("/organisationen/AfS/").content.decode()
    assert "Amt für Straßen- und Brückenbau" in html


def test_published_status_shows_on_measure_page_list_and_start_page(client, kek_plan):
    import datetime

    from django.contrib.auth import get_user_model

    from monitoring import services
    from monitoring.models import StatusOption
    from plans.models import Organisation

    coordinator = get_user_model().objects.create_superuser("koordination-test", "", "pw-123456!")
    reporting_round = services.open_round(
        coordinator,
        kek_plan,
        "Monitoring 2026",
        datetime.date(2026, 12, 31),
        datetime.date(2027, 1, 31),
    )
    measure = Measure.objects.get(plan=kek_plan, number="2-96")  # led by SLR
    slr = Organisation.objects.get(plan=kek_plan, abbreviation="SLR")
    report = services.start_report(coordinator, reporting_round, measure, organisation=slr)
    status = StatusOption.objects.filter(plan=kek_plan, is_continuous=False).order_by("order")[2]
    data = {"status": status, "progress": 40, "summary": "Erste Auswertung liegt vor."}
    report = services.save_report(coordinator, report, data, report.version)
    assert "Erste Auswertung" not in client.get("/massnahmen/2-96/").content.decode()
    for step in (services.submit_report, services.approve_report, services.publish_report):
        report.refresh_from_db()
        step(coordinator, report)

    page = client.get("/massnahmen/2-96/").content.decode()
    assert "Erste Auswertung liegt vor." in page and status.label in page and "40 %" in page
    listed = client.get(f"/massnahmen/?status={status.key}").content.decode()
    assert set(re.findall(r'href="/massnahmen/([0-9]-[0-9]+)/"', listed)) == {"2-96"}
    assert status_cells(listed) == [("2-96", (status.label, "40 %", "Monitoring 2026"))]
    unfiltered = client.get("/massnahmen/?feld=2&federfuehrung=SLR").content.decode()
    unfiltered_cells = dict(status_cells(unfiltered))
    assert unfiltered_cells["2-96"] == (status.label, "40 %", "Monitoring 2026")
    assert {cell for number, cell in unfiltered_cells.items() if number != "2-96"} == {
        ("noch kein Bericht", "", "")
    }
    # The start page's overview: field 2 (2-96's home) counts it once under its status.
    start = client.get("/").content.decode()
    cells = {
        field: [int(n) for n in re.findall(r'<td class="kern-table__cell">(\d+)</td>', row)]
        for field, row in re.findall(r'scope="row">(\d)</th>(.*?)</tr>', start, re.S)
    }
    position = list(StatusOption.objects.filter(plan=kek_plan).order_by("order")).index(status)
    *per_status, none, total = cells["2"]
    assert per_status[position] == 1 and sum(per_status) == 1 and none == total - 1
    assert sum(cells["1"][:-2]) == 0 and sum(cells["3"][:-2]) == 0


def test_search_shows_the_total_and_pages_of_twenty_hits(client, kek_plan):
    first = client.get("/suche/?q=Unterst%C3%BCtzung").content.decode()
    total = int(re.search(r"Treffer für „Unterstützung“: (\d+)", first).group(1))
    assert total > 40
    assert first.count('class="portal-hit"') == 20
    last_page = (total + 19) // 20
    last = client.get(f"/suche/?q=Unterst%C3%BCtzung&page={last_page}").content.decode()
    assert last.count('class="portal-hit"') == total - 20 * (last_page - 1)
    assert 'rel="prev"' in last


@pytest.mark.parametrize("page", ["99", "0", "x"])
def test_a_search_page_out_of_range_shows_the_last_or_first_page(client, kek_plan, page):
    url = "/suche/?q=Unterst%C3%BCtzung"
    total = int(re.search(r": (\d+)", client.get(url).content.decode().split("Treffer")[1])[1])
    last = (total + 19) // 20
    html = client.get(f"{url}&page={page}").content.decode()

    expected = 1 if page == "x" else last  # Django's paginator: not a number → 1, else last
    shown = total - 20 * (last - 1) if expected == last else 20
    assert html.count('class="portal-hit"') == shown
    assert f"Treffer für „Unterstützung“: {total}" in html


def test_subgoal_page_lists_its_approaches_and_the_measures_of_the_filtered_list(client, kek_plan):
    goal = client.get("/leitziele/1.1/").content.decode()
    assert 'href="/teilziele/1.1.1/"' in goal
    page = client.get("/teilziele/1.1.1/").content.decode()
    assert h1_count(page) == 1
    approaches = Node.objects.filter(plan=kek_plan, parent__key="1.1.1", level=4)
    assert approaches.exists()
    for approach in approaches:
        assert escape(approach.label) in page
    listed = {
        n for n, _cell in status_cells(client.get("/massnahmen/?teilziel=1.1.1").content.decode())
    }
    shown = {n for n, _cell in status_cells(page)}
    assert listed and shown == listed
    # Every measure placed here carries its status badge (no report yet in this plan).
    assert all(cell[0] == "noch kein Bericht" for _n, cell in status_cells(page))


@pytest.mark.parametrize(
    ("url", "most"),
    [
        ("/leitziele/1.1/", 40 * 4),  # 40 rows per sub-goal, four sub-goals
        ("/teilziele/1.1.1/", 50),
        ("/verflechtungen/", 50),
        ("/organisationen/SLR/", 2 * 50),
    ],
)
def test_pages_that_list_measures_stay_bounded_on_a_plan_ten_times_larger(
    client, db, kek_parsed, url, most
):
    import_parsed_plan(scaled_plan(kek_parsed, 10), apply=True)
    html = client.get(url).content.decode()
    shown = len(status_cells(html))
    assert 0 < shown <= most, (url, shown)
    # The rest is a click away: the next page, or the sub-goal's own page.
    assert 'rel="next"' in html or "weitere Maßnahmen von Teilziel" in html, url
