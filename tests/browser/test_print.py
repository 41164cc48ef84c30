"""A measure page prints cleanly on A4: no navigation or search, nothing cut off, all content."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import Page

# A4 at 96 CSS pixels per inch, minus Chromium's default print margins (about 1 cm each side).
A4_WIDTH_PX = 794
MEASURES = ["2-84", "3-34", "1-1"]


@pytest.fixture
def plan_served(transactional_db, kek_plan):
    """KEK 2030 visible to the live server's thread; no cached pages from other tests."""
    cache.clear()
    return kek_plan


def _print_view(page: Page, url: str) -> None:
    page.set_viewport_size({"width": A4_WIDTH_PX, "height": 1123})
    page.emulate_media(media="print")
    page.goto(url)


@pytest.mark.parametrize("number", MEASURES)
def test_printing_hides_navigation_search_and_footer_but_keeps_the_content(
    page: Page, live_server, plan_served, number
):
    _print_view(page, f"{live_server.url}/massnahmen/{number}/")
    for selector in [".portal-skip-link", ".portal-search", ".portal-nav", ".portal-footer"]:
        hidden = page.locator(selector)
        for index in range(hidden.count()):
            assert not hidden.nth(index).is_visible(), selector
    assert page.locator("h1").is_visible()
    assert number in page.locator("h1").inner_text()
    placements = page.locator(".portal-placement")
    assert placements.count() >= 1
    for index in range(placements.count()):
        assert placements.nth(index).is_visible()


@pytest.mark.parametrize("number", MEASURES)
def test_nothing_is_wider_than_an_a4_page(page: Page, live_server, plan_served, number):
    _print_view(page, f"{live_server.url}/massnahmen/{number}/")
    too_wide = page.evaluate(
        """(limit) => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > limit + 1)
            .map(e => e.tagName + '.' + e.className)""",
        A4_WIDTH_PX,
    )
    assert too_wide == []
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_WIDTH_PX


def test_the_measure_page_prints_to_a_few_a4_pages(page: Page, live_server, plan_served):
    page.goto(f"{live_server.url}/massnahmen/2-84/")
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    # 2-84 is the longest measure: 14 placements with building blocks. Seven pages in the
    # reading of the closing note; more than ten would mean something is printed oversized.
    assert 2 <= pages <= 10, pages
