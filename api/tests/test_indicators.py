"""Indicators, their values and the Gemeinden in the API: the same figures as the portal's pages."""

from __future__ import annotations

import html
import re
from decimal import Decimal
from typing import Any

import pytest

from indicators.services import (
    TargetSpec,
    define_indicator,
    import_values,
    read_value_file,
    value_rules,
)
from indicators.tests.conftest import municipalities, plan  # noqa: F401 – shared fixtures
from plans.models import Plan

GRIMMA = "14729160"


@pytest.fixture
def trade_area(municipalities: Plan) -> Plan:  # noqa: F811
    """An indicator with a target, linked to Teilziel 1.2.1 and measure 2-84, with values."""
    define_indicator(
        municipalities,
        slug="gewerbe",
        name="Verfügbare Gewerbefläche",
        unit="ha",
        measures=["2-84"],
        goals=["1.2.1"],
        targets=[TargetSpec(Decimal(30), 2030)],
        source="Amt",
        licence="CC BY 4.0",
    )
    parsed = read_value_file(
        b"indicator,ags,year,value\n"
        b"gewerbe,14729,2018,10\ngewerbe,14729,2022,20\ngewerbe,14729160,2022,4.5\n",
        value_rules(municipalities),
    )
    import_values(municipalities, parsed, file_name="g.csv", apply=True)
    return municipalities


def _all(client: Any, url: str) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        page = client.get(next_url).json()
        results.extend(page["results"])
        next_url = page["next"]
    return results


def test_the_indicator_list_has_the_latest_value_and_the_attainment_of_the_portal(
    client: Any, trade_area: Plan
) -> None:
    indicators = {row["slug"]: row for row in _all(client, "/api/v1/indicators/")}

    assert {"bevoelkerung", "bevoelkerungsdichte", "gewerbe"} <= set(indicators)
    trade = indicators["gewerbe"]
    assert trade["latest"] == {"year": 2022, "value": 20.0}
    assert trade["targets"] == [{"year": 2030, "value": 30.0}]
    assert (trade["goals"], trade["measures"]) == (["1.2.1"], ["2-84"])
    assert trade["attainment"]["status"] == "on_track"
    page = html.unescape(client.get("/indikatoren/gewerbe/").content.decode())
    assert trade["attainment"]["sentence"] in page
    assert trade["url"] == "http://testserver/indikatoren/gewerbe/"


def test_an_indicator_has_its_county_series_and_its_values_per_area_and_year(
    client: Any, trade_area: Plan
) -> None:
    detail = client.get("/api/v1/indicators/gewerbe/").json()
    grimma = client.get(f"/api/v1/indicators/gewerbe/values/?ags={GRIMMA}").json()
    of_2018 = client.get("/api/v1/indicators/gewerbe/values/?jahr=2018").json()

    assert detail["county_series"] == [
        {"year": 2018, "value": 10.0},
        {"year": 2022, "value": 20.0},
    ]
    assert [(r["ags"], r["year"], r["value"]) for r in grimma["results"]] == [(GRIMMA, 2022, 4.5)]
    assert [(r["ags"], r["value"]) for r in of_2018["results"]] == [("14729", 10.0)]


def test_a_gemeinde_has_the_figures_and_measures_of_its_portal_page(
    client: Any, trade_area: Plan
) -> None:
    gemeinden = _all(client, "/api/v1/gemeinden/")
    grimma = client.get(f"/api/v1/gemeinden/{GRIMMA}/").json()

    assert len(gemeinden) == 30
    assert grimma["name"] == "Grimma"
    figures = {f["indicator"]: f for f in grimma["figures"]}
    assert figures["bevoelkerung"]["value"] == 28269.0
    assert (figures["gewerbe"]["year"], figures["gewerbe"]["value"]) == (2022, 4.5)
    assert figures["gewerbe"]["county_value"] == 20.0
    page = client.get(f"/gemeinden/{GRIMMA}/").content.decode()
    shown = re.findall(r'href="/massnahmen/([^/"]+)/"', page)
    assert grimma["measures"] == ["1-1"]
    assert sorted(set(shown)) == grimma["measures"]


def test_every_gemeinde_lists_the_measures_its_page_lists(client: Any, trade_area: Plan) -> None:
    for row in _all(client, "/api/v1/gemeinden/"):
        api = client.get(f"/api/v1/gemeinden/{row['ags']}/").json()["measures"]
        page = client.get(f"/gemeinden/{row['ags']}/").content.decode()
        assert sorted(set(re.findall(r'href="/massnahmen/([^/"]+)/"', page))) == sorted(api)


@pytest.mark.parametrize(
    ("url", "status", "detail"),
    [
        ("/api/v1/indicators/gibtsnicht/", 404, "Es gibt keinen Indikator gibtsnicht."),
        ("/api/v1/gemeinden/14729999/", 404, "Es gibt keine Gemeinde mit dem AGS 14729999."),
        (
            "/api/v1/indicators/gewerbe/values/?ags=abc",
            400,
            "ags muss 14729 (der Landkreis) oder ein achtstelliger AGS sein.",
        ),
    ],
)
def test_unknown_or_bad_names_are_german_problems(
    client: Any, trade_area: Plan, url: str, status: int, detail: str
) -> None:
    response = client.get(url)

    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["detail"] == detail
