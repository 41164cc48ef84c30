"""The catalogue pages in Chromium: axe (WCAG 2.1 AA), keyboard use of filters and search."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import Page

PAGES = {
    "start": "/",
    "field": "/handlungsfelder/2/",
    "goal": "/leitziele/1.3/",
    "measure with several placements": "/massnahmen/2-84/",
    "measure list with active filters": "/massnahmen/?feld=2&federfuehrung=SLR&kommission=on",
    "search results with hits": "/suche/?q=Radweg",
}


@pytest.fixture
def plan_served(transactional_db, kek_plan):
    """KEK 2030 visible to the live server's thread; no cached pages from other tests."""
    cache.clear()
    return kek_plan


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_catalogue_page_has_no_wcag_21_aa_violations(
    page: Page, live_server, plan_served, axe_violations, path
):
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_catalogue_page_works_with_the_csp_enforced(
    csp_page: Page, csp_violations, live_server, plan_served, path
):
    csp_page.goto(live_server.url + path)
    csp_page.wait_for_load_state("networkidle")
    assert csp_violations == []


def test_filters_are_usable_by_keyboard_and_update_the_list_in_place(
    page: Page, live_server, plan_served
):
    page.goto(live_server.url + "/massnahmen/")
    page.wait_for_load_state("networkidle")
    # The filters sit behind the "Filter" button (<details>): open it with the keyboard.
    page.locator("summary", has_text="Filter").focus()
    page.keyboard.press("Enter")
    select = page.get_by_label("Handlungsfeld", exact=True)
    select.focus()
    # Keyboard only: choose the second field with the arrow keys; change fires the htmx update.
    select.press("ArrowDown")
    select.press("ArrowDown")
    page.wait_for_url("**/massnahmen/?*feld=2*")
    assert page.locator("#ergebnisse [role=status]").inner_text().startswith("Gefundene Maßnahmen:")
    assert page.locator("h1").count() == 1  # the results were swapped in, not a whole page
    rows = page.locator("#ergebnisse tbody tr")
    assert rows.count() > 0
    page.get_by_role("button", name="Filter anwenden").focus()
    page.keyboard.press("Enter")  # without htmx, the same filter as a plain GET form
    page.wait_for_load_state("networkidle")
    assert "feld=2" in page.url


def test_search_is_usable_by_keyboard_and_highlights_hits(page: Page, live_server, plan_served):
    page.goto(live_server.url + "/")
    page.get_by_label("Maßnahmen, Ziele und Organisationen durchsuchen").focus()
    page.keyboard.type("Oepnv")
    page.keyboard.press("Enter")
    page.wait_for_url("**/suche/?q=Oepnv")
    assert page.locator(".portal-hit mark").first.inner_text() == "ÖPNV"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") in ("A", "INPUT", "BUTTON")
