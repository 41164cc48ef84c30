"""The portal's frame in a real browser: accessibility (axe), keyboard use, headings, CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

PAGES = {
    "start": "/",
    "accessibility statement": "/barrierefreiheit/",
    "404": "/gibt-es-nicht/",
}

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_has_no_wcag_21_aa_violations(page: Page, live_server, axe_violations, path):
    page.goto(live_server.url + path)

    assert axe_violations(page) == []


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_has_exactly_one_h1(page: Page, live_server, path):
    page.goto(live_server.url + path)

    assert page.locator("h1").count() == 1


def test_kern_styles_and_fira_sans_are_loaded(page: Page, live_server):
    page.goto(live_server.url + "/")
    page.evaluate("document.fonts.ready")

    font_family = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "Fira Sans" in font_family
    assert page.evaluate("document.fonts.check('16px \"Fira Sans\"')")


def test_first_tab_focuses_the_skip_link_and_enter_moves_focus_to_main(page: Page, live_server):
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.tagName, document.activeElement.href]")
    assert focused == ["A", live_server.url + "/#inhalt"]
    assert page.locator(".portal-skip-link").is_visible()

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhalt"
    assert page.evaluate("document.activeElement.tagName") == "MAIN"


def test_search_form_is_reachable_by_keyboard_and_submits_to_suche(page: Page, live_server):
    page.goto(live_server.url + "/")

    page.get_by_label("Im Kreisentwicklungskonzept suchen").fill("Radweg")
    page.keyboard.press("Enter")

    page.wait_for_url("**/suche/?q=Radweg")
    assert page.url == live_server.url + "/suche/?q=Radweg"


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_works_with_the_csp_enforced(csp_page: Page, csp_violations, live_server, path):
    csp_page.goto(live_server.url + path)
    csp_page.wait_for_load_state("networkidle")

    assert csp_violations == []
    # Stylesheets and scripts were allowed: KERN styles the search button, htmx has loaded.
    button_colour = csp_page.evaluate(
        "getComputedStyle(document.querySelector('.kern-btn--primary')).backgroundColor"
    )
    assert button_colour not in ("rgba(0, 0, 0, 0)", "rgb(239, 239, 239)")
    assert csp_page.evaluate("typeof htmx") == "object"
