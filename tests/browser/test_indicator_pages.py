"""Indicators and Gemeinden in a real browser: axe, the CSP, the map by keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from indicators.importers.municipalities import parse_boundaries
from indicators.models import COUNTY_AGS
from indicators.services import (
    TargetSpec,
    define_indicator,
    import_values,
    read_value_file,
    value_rules,
)
from indicators.tests.conftest import BOUNDARIES

PAGES = {
    "indicators": "/indikatoren/",
    "indicator with map": "/indikatoren/bevoelkerungsdichte/",
    "indicator with targets": "/indikatoren/breitband/",
    "gemeinden": "/gemeinden/",
    "gemeinde": "/gemeinden/14729160/",
    "registers": "/kataster/",
    "register": "/kataster/gewerbeflaechen/",
    "goal with attainment": "/leitziele/1.1/",
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicators_loaded(kek_plan):
    """KEK 2030 with the Gemeinden, and an indicator with a target and a county series."""
    from indicators.services import ensure_default_registers, load_municipalities

    boundaries = parse_boundaries(BOUNDARIES.read_text(encoding="utf-8"), COUNTY_AGS)
    load_municipalities(kek_plan, boundaries, BOUNDARIES.name)
    ensure_default_registers(kek_plan)
    define_indicator(
        kek_plan,
        slug="breitband",
        name="Haushalte mit Gigabit",
        unit="%",
        precision=1,
        goals=["1.1"],
        measures=["2-84"],
        targets=[TargetSpec(90, 2030)],
    )
    data = b"indicator,ags,year,value\nbreitband,14729,2018,20\nbreitband,14729,2024,55\n"
    import_values(
        kek_plan, read_value_file(data, value_rules(kek_plan)), file_name="b.csv", apply=True
    )
    return kek_plan


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_indicator_page_has_no_wcag_21_aa_violations(
    page: Page, live_server, indicators_loaded, axe_violations, path
):
    page.goto(live_server.url + path)

    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []


def test_the_map_is_drawn_with_the_csp_enforced(
    csp_page: Page, csp_violations, live_server, indicators_loaded
):
    csp_page.goto(live_server.url + "/indikatoren/bevoelkerungsdichte/")
    csp_page.wait_for_load_state("networkidle")

    assert csp_violations == []
    fill = csp_page.evaluate("getComputedStyle(document.querySelector('.choropleth-class-5')).fill")
    assert fill == "rgb(15, 29, 74)"


def test_the_map_is_usable_by_keyboard(page: Page, live_server, indicators_loaded):
    page.goto(live_server.url + "/indikatoren/bevoelkerung/")
    page.locator("#jahr").focus()
    page.keyboard.press("Tab")  # the "Anzeigen" button
    page.keyboard.press("Tab")  # the first Gemeinde on the map

    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "Bad Lausick: 8.207 Personen"
    highlighted = page.evaluate(
        "getComputedStyle(document.activeElement.querySelector('path')).fill"
    )
    assert highlighted == "rgb(255, 221, 0)"
    page.keyboard.press("Enter")
    page.wait_for_url("**/gemeinden/14729010/")
    assert page.locator("h1").inner_text() == "Bad Lausick"


def test_the_table_lists_the_values_the_map_shows(page: Page, live_server, indicators_loaded):
    page.goto(live_server.url + "/indikatoren/bevoelkerung/")

    in_map = page.evaluate(
        "[...document.querySelectorAll('.choropleth__area')].map(a => a.getAttribute('aria-label'))"
    )
    in_table = page.evaluate(
        "[...document.querySelectorAll('.indicator-map-table tbody tr')]"
        ".map(r => r.querySelector('th').innerText + ': ' + r.querySelector('td').innerText"
        " + ' Personen')"
    )
    assert len(in_map) == 30
    assert in_map == in_table
