"""The public pages: content, one <h1>, map and table agree, CSV round trip, Leitziel read."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from indicators.models import IndicatorValue
from indicators.reads import goal_attainment
from indicators.services import (
    TargetSpec,
    define_indicator,
    import_values,
    read_value_file,
    value_rules,
)
from plans.models import Organisation, Placement, PlacementParticipant

pytestmark = pytest.mark.django_db

PAGES = ["/indikatoren/", "/indikatoren/bevoelkerung/", "/gemeinden/", "/gemeinden/14729160/"]


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


@pytest.mark.parametrize("url", PAGES)
def test_every_page_answers_in_german_with_one_h1_and_no_inline_style_or_script(
    client, municipalities, url
):
    html = client.get(url).content.decode()

    assert h1_count(html) == 1
    assert '<html lang="de">' in html
    assert " style=" not in html and "<style" not in html
    assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", html) == []


def test_the_map_has_every_gemeinde_as_a_link_with_its_name_and_value(client, municipalities):
    html = client.get("/indikatoren/bevoelkerung/?jahr=2023").content.decode()

    areas = re.findall(r'<a class="choropleth__area" href="([^"]+)" aria-label="([^"]+)"', html)
    assert len(areas) == 30
    assert ("/gemeinden/14729160/", "Grimma: 28.269 Personen") in areas


def test_the_table_beside_the_map_shows_the_same_values_as_the_map(client, municipalities):
    html = client.get("/indikatoren/bevoelkerungsdichte/").content.decode()

    in_map = dict(re.findall(r'data-ags="(\d{8})"><title>[^:]+: ([\d.,]+) ', html))
    in_table = dict(
        re.findall(r'<tr class="kern-table__row" data-ags="(\d{8})">.*?numeric">([^<]+)</td>', html)
    )
    assert len(in_map) == 30
    assert in_map == in_table
    assert in_map["14729160"] == "129,5"


def test_the_legend_names_the_value_range_of_each_class(client, municipalities):
    html = client.get("/indikatoren/bevoelkerung/").content.decode()

    legend = re.findall(
        r'choropleth-legend__swatch (choropleth-class-\d)"[^>]*></span> ([^<]+)<', html
    )
    assert [css for css, _text in legend] == [f"choropleth-class-{n}" for n in range(1, 6)]
    assert (
        legend[0][1].strip() == "1.276 bis 3.771"
    )  # the six smallest: Elstertrebnitz … Trebsen/Mulde


def test_a_year_without_values_falls_back_to_the_newest(client, municipalities):
    html = client.get("/indikatoren/bevoelkerung/?jahr=1800").content.decode()

    assert '<option value="2023" selected>' in html


def test_the_indicator_page_shows_targets_attainment_and_linked_measures(client, municipalities):
    define_indicator(
        municipalities,
        slug="gewerbe",
        name="Gewerbefläche",
        unit="ha",
        measures=["2-84"],
        goals=["1.2.1"],
        targets=[TargetSpec(Decimal(30), 2030)],
        source="Amt",
        licence="CC BY 4.0",
    )
    parsed = read_value_file(
        b"indicator,ags,year,value\ngewerbe,14729,2018,10\ngewerbe,14729,2022,20\n",
        value_rules(municipalities),
    )
    import_values(municipalities, parsed, file_name="g.csv", apply=True)

    html = client.get("/indikatoren/gewerbe/").content.decode()

    assert "Auf Kurs" in html
    assert "Von 2018 bis 2022 hat sich der Wert im Mittel um +18,92 % pro Jahr verändert" in html
    assert "Ziel 2030: 30" in html
    assert 'class="indicator-chart__target"' in html
    assert 'href="/massnahmen/2-84/"' in html
    assert "CC BY 4.0" in html
    assert "Werte nach Gemeinden liegen noch nicht vor." in html


def test_the_overview_groups_indicators_by_leitziel(client, municipalities):
    html = client.get("/indikatoren/").content.decode()

    section = html.split("Leitziel 1.2", 1)[1]
    assert "Einwohnerinnen und Einwohner" in section
    assert "Keinem Leitziel zugeordnet" in html  # density is linked to 2.1, absent here


def test_the_csv_download_imports_back_as_unchanged_values(client, municipalities):
    response = client.get("/indikatoren/bevoelkerung/werte.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    parsed = read_value_file(response.content, value_rules(municipalities))
    preview = import_values(municipalities, parsed, file_name="rueck.csv")
    assert (len(preview.new), len(preview.changed), preview.unchanged) == (0, 0, 31)


def test_the_gemeinde_page_compares_with_the_county_and_lists_measures_for_kommunen(
    client, municipalities
):
    kommunen = Organisation.objects.create(
        plan=municipalities,
        abbreviation="Kommunen",
        name="Kommunen",
        kind=Organisation.Kind.MUNICIPALITY,
    )
    measure = municipalities.measures.get(number="2-84")
    placement = Placement.objects.create(
        plan=municipalities,
        measure=measure,
        node=municipalities.nodes.get(code="1.2.1"),
        order=1,
        line=1,
        field_number=2,
        goal_code="1.2",
    )
    PlacementParticipant.objects.create(placement=placement, organisation=kommunen, position=1)

    html = client.get("/gemeinden/14729160/").content.decode()

    assert "<h1" in html and "Grimma</h1>" in html
    assert re.search(
        r"Einwohnerinnen und Einwohner</a></th>\s*<td[^>]*>2023</td>\s*"
        r"<td[^>]*>28.269</td>\s*<td[^>]*>261.573</td>",
        html,
    )
    assert 'href="/massnahmen/2-84/"' in html  # Kommunen take part
    assert 'href="/massnahmen/1-1/"' in html  # its text names Grimma


def test_an_unknown_gemeinde_or_indicator_is_not_found(client, municipalities):
    assert client.get("/gemeinden/14729999/").status_code == 404
    assert client.get("/gemeinden/abc/").status_code == 404
    assert client.get("/indikatoren/gibt-es-nicht/").status_code == 404


def test_pages_are_cached_until_values_change(client, municipalities):
    before = client.get("/indikatoren/bevoelkerung/").content.decode()
    parsed = read_value_file(
        b"indicator,ags,year,value\nbevoelkerung,14729,2024,260000\n", value_rules(municipalities)
    )
    import_values(municipalities, parsed, file_name="neu.csv", apply=True)

    html = client.get("/indikatoren/bevoelkerung/").content.decode()

    assert "260.000" not in before
    assert "260.000" in html


def test_goal_attainment_reads_the_indicators_of_a_leitziel_and_its_teilziele(municipalities):
    define_indicator(municipalities, slug="fach", name="Fachkräfte", unit="%", goals=["1.2.1"])

    summaries = goal_attainment(municipalities, "1.2")

    assert [s.indicator.slug for s in summaries] == ["bevoelkerung", "fach"]
    assert summaries[0].url == "/indikatoren/bevoelkerung/"
    assert summaries[0].assessment.status == "no_target"
    assert goal_attainment(municipalities, "3.3") == []


def test_values_that_were_superseded_do_not_show(client, municipalities):
    parsed = read_value_file(
        b"indicator,ags,year,value\nbevoelkerung,14729160,2023,1\n", value_rules(municipalities)
    )
    import_values(municipalities, parsed, file_name="x.csv", apply=True)

    html = client.get("/gemeinden/14729160/").content.decode()

    assert (
        IndicatorValue.objects.filter(ags="14729160", indicator__slug="bevoelkerung").count() == 2
    )
    assert ">1</td>" in html and "28.269" not in html.split("Indikatoren")[1].split("Maßnahmen")[0]
