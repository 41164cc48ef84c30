"""Organisations ("Wer macht was"), key projects and interlinkages: what the document says."""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import unquote

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import KeyProject, Measure, Organisation, Placement, PlacementLead
from plans.services import import_parsed_plan
from plans.synthetic import scaled_plan
from portal.interlinking import interlinking
from portal.slugs import key_project_slug

pytestmark = pytest.mark.django_db

PAGES = [
    "/organisationen/",
    "/organisationen/SLR/",
    "/schluesselvorhaben/",
    "/schluesselvorhaben/sv-i-2/",
    "/verflechtungen/",
]


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Render every page afresh, so that contents and query counts are real."""
    cache.clear()
    yield
    cache.clear()


def html_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def section(html: str, start: str, end: str | None = None) -> str:
    """The part of the page from the heading containing `start` up to `end` (or the end)."""
    begin = html.index(start)
    return html[begin : html.index(end, begin) if end else len(html)]


def measure_links(html: str) -> list[str]:
    return [unquote(n) for n in re.findall(r'href="/massnahmen/([^"/]+)/"', html)]


def numbers_led_by(plan, abbreviation: str) -> set[str]:
    return set(
        Measure.objects.filter(
            plan=plan, placements__lead_organisations__abbreviation=abbreviation
        ).values_list("number", flat=True)
    )


def numbers_with_participant(plan, abbreviation: str) -> set[str]:
    return set(
        Measure.objects.filter(
            plan=plan, placements__participant_organisations__abbreviation=abbreviation
        ).values_list("number", flat=True)
    )


# Organisations -------------------------------------------------------------------------------


def test_organisation_index_lists_every_organisation_of_the_plan_with_a_link(client, kek_plan):
    html = html_of(client, "/organisationen/")

    for organisation in Organisation.objects.filter(plan=kek_plan):
        url = reverse("portal:organisation", args=[organisation.abbreviation])
        assert f'href="{url}"' in html.replace("&#x27;", "'"), organisation.abbreviation
    assert html.count("<h1") == 1
    assert "Wer macht was" in html


def test_organisation_index_groups_by_kind_with_glossary_entries_first(client, kek_plan):
    html = html_of(client, "/organisationen/")

    offices = section(html, "Ämter des Landratsamtes", "Kommunen</h2>")
    partners = section(html, "Partner</h2>")
    assert "Umweltamt" in offices
    assert "Europäische Metropolregion Mitteldeutschland" not in offices
    # Glossary partners (EMM, LTM …) come before those only named in tables (IHK, HWK …).
    assert partners.index("Europäische Metropolregion Mitteldeutschland") < partners.index(">IHK<")
    assert partners.index("Zweckverband Kommunales Forum") < partners.index(">Agentur für Arbeit<")
    assert "nicht im Abkürzungsverzeichnis" in partners
    assert "nicht im Abkürzungsverzeichnis" not in section(offices, "AfS", "ugb")


def test_organisation_index_counts_measures_led_and_taken_part_in(client, kek_plan):
    response = client.get("/organisationen/")

    rows = {
        organisation.abbreviation: (led, taking_part)
        for group in response.context["groups"]
        for organisation, led, taking_part in group["rows"]
    }
    for abbreviation in ["AfS", "SLR", "VA", "Kommunen", "IHK"]:
        assert rows[abbreviation] == (
            len(numbers_led_by(kek_plan, abbreviation)),
            len(numbers_with_participant(kek_plan, abbreviation)),
        ), abbreviation
    assert rows["AfS"][0] == 9


def test_organisation_page_of_va_lists_exactly_the_measures_it_leads(client, kek_plan):
    html = html_of(client, "/organisationen/VA/")

    led = section(html, "Federführend betreute Maßnahmen", "Maßnahmen mit Beteiligung")
    expected = numbers_led_by(kek_plan, "VA")
    assert sorted(measure_links(led)) == sorted(expected)
    assert expected == {"2-84", "2-85", "3-26", "3-28", "3-29", "3-30", "3-31"}
    assert "Vermessungsamt" in html
    assert html.count("<h1") == 1


def test_organisation_page_of_afs_lists_its_measures_by_field_in_number_order(client, kek_plan):
    html = html_of(client, "/organisationen/AfS/")

    led = section(html, "Federführend betreute Maßnahmen", "Maßnahmen mit Beteiligung")
    assert measure_links(led) == ["1-1", "1-2", "1-3", "1-4", "1-5", "3-47", "3-50", "3-51", "3-54"]
    # Grouped under the plan's level name and the field labels from its nodes.
    assert led.index("Handlungsfeld 1: Starker Wirtschaftsstandort") < led.index("1-1")
    assert led.index("Handlungsfeld 3: Nachhaltiger Lebensraum") < led.index("3-47")
    assert "Handlungsfeld 2" not in led


def test_organisation_page_lists_the_measures_it_takes_part_in(client, kek_plan):
    html = html_of(client, "/organisationen/IHK/")

    taking_part = section(html, "Maßnahmen mit Beteiligung")
    assert sorted(measure_links(taking_part)) == sorted(numbers_with_participant(kek_plan, "IHK"))
    assert "nur in den Maßnahmentabellen genannt" in html


def test_organisation_page_counts_a_measure_once_though_it_leads_several_placements(
    client, kek_plan
):
    placements_of_2_84_led_by_va = PlacementLead.objects.filter(
        placement__measure__number="2-84", organisation__abbreviation="VA"
    ).count()
    assert placements_of_2_84_led_by_va > 1

    led = section(
        html_of(client, "/organisationen/VA/"),
        "Federführend betreute Maßnahmen",
        "Maßnahmen mit Beteiligung",
    )

    assert measure_links(led).count("2-84") == 1


@pytest.mark.parametrize(
    "abbreviation", ["EB RD/BS", "TV's", "Fachberaterinnen §§11-14 SGB VIII Kita"]
)
def test_organisation_pages_work_for_abbreviations_with_slashes_quotes_and_spaces(
    client, kek_plan, abbreviation
):
    url = reverse("portal:organisation", args=[abbreviation])
    assert " " not in url

    html = html_of(client, url)

    assert Organisation.objects.get(plan=kek_plan, abbreviation=abbreviation).name in html.replace(
        "&#x27;", "'"
    )


def test_another_spelling_of_an_abbreviation_redirects_to_the_organisation(client, kek_plan):
    response = client.get("/organisationen/Afs/")

    assert response.status_code == 301
    assert response["Location"] == "/organisationen/AfS/"


def test_unknown_organisation_is_404(client, kek_plan):
    assert client.get("/organisationen/GIBTS-NICHT/").status_code == 404


# Key projects --------------------------------------------------------------------------------


def test_key_project_slug_lowercases_and_replaces_other_characters_by_hyphens():
    assert key_project_slug("SV I.2") == "sv-i-2"
    assert key_project_slug("SV III.4") == "sv-iii-4"


def test_key_project_index_groups_the_codes_by_field_with_measure_counts(client, kek_plan):
    response = client.get("/schluesselvorhaben/")
    html = response.content.decode()

    assert html.index("Handlungsfeld I:") < html.index("SV I.1") < html.index("Handlungsfeld II:")
    assert (
        html.index("Handlungsfeld II:") < html.index("SV II.5") < html.index("Handlungsfeld III:")
    )
    counts = {
        item["code"]: item["measures"]
        for group in response.context["groups"]
        for item in group.entries
    }
    for key_project in KeyProject.objects.filter(plan=kek_plan):
        expected = Measure.objects.filter(placements__key_projects=key_project).distinct().count()
        assert counts[key_project.code] == expected, key_project.code
        assert f'href="/schluesselvorhaben/{key_project_slug(key_project.code)}/"' in html


def test_every_key_project_page_is_found_by_its_slug(client, kek_plan):
    for key_project in KeyProject.objects.filter(plan=kek_plan):
        html = html_of(client, f"/schluesselvorhaben/{key_project_slug(key_project.code)}/")
        assert key_project.code in html


def test_key_project_page_lists_its_measures_with_their_leads(client, kek_plan):
    html = html_of(client, "/schluesselvorhaben/sv-i-2/")

    expected = set(
        Measure.objects.filter(placements__key_projects__code="SV I.2", plan=kek_plan).values_list(
            "number", flat=True
        )
    )
    assert expected == {"1-16", "1-31", "1-33", "3-29"}
    assert sorted(measure_links(html)) == sorted(expected)
    for lead in PlacementLead.objects.filter(placement__key_projects__code="SV I.2"):
        url = reverse("portal:organisation", args=[lead.organisation.abbreviation])
        assert f'href="{url}"' in html
    assert html.count("<h1") == 1
    assert "Schlüsselvorhaben SV I.2" in html


def test_unknown_key_project_is_404(client, kek_plan):
    assert client.get("/schluesselvorhaben/sv-ix-9/").status_code == 404


# Interlinkages -------------------------------------------------------------------------------


def direct_matrix(plan) -> dict[tuple[int, int], int]:
    """Count, for each pair of fields, the measures of the first also placed under the second."""
    fields_of: dict[Measure, set[int]] = defaultdict(set)
    for placement in Placement.objects.filter(plan=plan).select_related("measure"):
        fields_of[placement.measure].add(placement.field_number)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for measure, fields in fields_of.items():
        for other in fields - {measure.home_field}:
            counts[measure.home_field, other] += 1
    return counts


def test_interlinking_matrix_equals_a_direct_count_over_all_placements(kek_plan):
    result = interlinking(kek_plan)
    expected = direct_matrix(kek_plan)

    for home, row in result.matrix.items():
        for other, count in row.items():
            assert count == expected.get((home, other), 0), (home, other)
    assert [number for number, _label in result.fields] == [1, 2, 3]
    assert len(result.measure_ids) == Measure.objects.filter(plan=kek_plan).interlinked().count()


def test_interlinkages_page_shows_the_matrix_as_an_accessible_table(client, kek_plan):
    response = client.get("/verflechtungen/")
    html = response.content.decode()

    assert "<caption" in html
    assert html.count('scope="col"') >= 4
    assert html.count('scope="row"') >= 3
    expected = direct_matrix(kek_plan)
    for row in response.context["rows"]:
        for cell in row["cells"]:
            if not cell["diagonal"]:
                assert cell["count"] == expected.get((row["number"], cell["number"]), 0)
    assert html.count("<h1") == 1


def test_interlinkages_page_lists_each_interlinked_measure_with_its_other_fields(client, kek_plan):
    html = html_of(client, "/verflechtungen/")

    listed = section(html, "Verflochtene Maßnahmen (")
    interlinked = Measure.objects.filter(plan=kek_plan).interlinked().in_number_order()
    assert measure_links(listed) == [m.number for m in interlinked]
    row_2_84 = section(listed, ">2-84<", "</tr>")
    other_fields = set(
        Placement.objects.filter(measure__number="2-84")
        .exclude(field_number=2)
        .values_list("field_number", flat=True)
    )
    for field_number in other_fields:
        assert f"Handlungsfeld {field_number}</span>" in row_2_84


# Queries -------------------------------------------------------------------------------------


def query_counts(client, paths: list[str]) -> dict[str, int]:
    counts = {}
    for path in paths:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[path] = len(queries)
    return counts


def test_directory_pages_run_the_same_number_of_queries_on_a_plan_ten_times_larger(
    client, kek_parsed, settings
):
    import_parsed_plan(kek_parsed, apply=True)
    on_kek = query_counts(client, PAGES)
    import_parsed_plan(scaled_plan(kek_parsed, 10, slug="kek-2030-x10"), apply=True)
    settings.KEK_PLAN_SLUG = "kek-2030-x10"

    on_ten_times = query_counts(client, PAGES)

    assert on_ten_times == on_kek
    assert max(on_kek.values()) <= 15  # the organisation page: plan, organisation, facets,
    # measures, field labels, their statuses, a savepoint at most (under a transaction) and
    # the roll-up block of its two groups (four queries per facet: monitoring.rollups)


def test_a_key_projects_name_and_description_entered_in_the_back_office_show_and_are_found(
    admin_client, client, kek_plan
):
    from django.urls import reverse

    from plans.models import KeyProject

    key_project = KeyProject.objects.get(plan=kek_plan, code="SV II.1")
    page = client.get("/schluesselvorhaben/sv-ii-1/").content.decode()
    assert "Name noch nicht erfasst" in page
    url = reverse("admin:plans_keyproject_change", args=[key_project.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {
        "plan": kek_plan.pk,
        "name": "Lebendige Ortszentren",
        "description": "Leerstand beleben, Nahversorgung sichern.",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    page = client.get("/schluesselvorhaben/sv-ii-1/").content.decode()
    assert "Lebendige Ortszentren" in page and "Nahversorgung sichern" in page
    assert "Name noch nicht erfasst" not in page
    assert "Lebendige Ortszentren" in client.get("/schluesselvorhaben/").content.decode()
    # Found by its name, its description and both spellings of its code, as the first hit.
    for query in ("Ortszentren", "Nahversorgung", "SV II.1", "SV 2.1", "sv ii 1"):
        html = client.get("/suche/", {"q": query}).content.decode()
        first = re.search(r'class="portal-hit">.*?<a class="kern-link" href="([^"]+)"', html, re.S)
        assert first and first[1] == "/schluesselvorhaben/sv-ii-1/", query
