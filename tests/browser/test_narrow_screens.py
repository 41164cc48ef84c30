"""On a 390 px wide phone screen no page scrolls sideways; every page type stays axe clean.

Tables too wide for a phone scroll inside their own labelled region (role=region, tabindex=0):
what stands inside such a region may be wider than the screen, the page itself may not. The
pages carry statuses of two reporting rounds, so that badges, roll-ups and trends are drawn.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Page

from monitoring.models import ReportingRound
from portal.tests.test_status_agreement import two_rounds  # noqa: F401 (a fixture)

PHONE_WIDTH = 390
DESKTOP_WIDTH = 1280
PAGES = {
    "start": "/",
    "field": "/handlungsfelder/2/",
    "goal": "/leitziele/1.3/",
    "subgoal": "/teilziele/1.1.1/",
    "measure": "/massnahmen/2-84/",
    "measure with long lists": "/massnahmen/3-34/",
    "measure list": "/massnahmen/",
    "measure list with active filters": "/massnahmen/?feld=2&federfuehrung=SLR",
    "organisation": "/organisationen/SLR/",
    "organisations": "/organisationen/",
    "key project": "/schluesselvorhaben/sv-i-2/",
    "key projects": "/schluesselvorhaben/",
    "interlinks": "/verflechtungen/",
    "progress": "/umsetzungsstand/",
    "search": "/suche/?q=Radweg",
    "open data": "/daten/",
    "accessibility statement": "/barrierefreiheit/",
    "easy language": "/leichte-sprache/",
}


@pytest.fixture
def plan_served(transactional_db: Any, two_rounds: dict[str, Any]) -> Any:  # noqa: F811
    """KEK 2030 with two rounds of reports (the newest closed), visible to the live server."""
    plan = two_rounds["plan"]
    ReportingRound.objects.filter(plan=plan).update(state=ReportingRound.State.CLOSED)
    cache.clear()
    return plan


def _wider_than(page: Page, limit: int) -> list[str]:
    """Elements of the main content reaching beyond the screen, outside scroll regions."""
    return page.evaluate(
        """(limit) => [...document.querySelectorAll('main *')]
            .filter(e => !(e.parentElement && e.parentElement.closest('[role=region]')))
            .filter(e => e.getBoundingClientRect().right > limit + 1)
            .slice(0, 5)
            .map(e => e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 40))""",
        limit,
    )


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_nothing_is_wider_than_a_phone_screen(page: Page, live_server, plan_served, path):
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    assert _wider_than(page, PHONE_WIDTH) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    # Every region that scrolls can be reached with the keyboard and has a name.
    for region in page.locator("main [role=region]").all():
        assert region.get_attribute("tabindex") == "0"
        assert region.get_attribute("aria-label") or region.get_attribute("aria-labelledby")


@pytest.mark.parametrize("width", [DESKTOP_WIDTH, PHONE_WIDTH])
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_every_page_type_is_axe_clean_on_desktop_and_phone(
    page: Page, live_server, plan_served, axe_violations, path, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + path)
    assert axe_violations(page) == []


def test_the_measure_list_is_a_stack_of_cards_on_a_phone(page: Page, live_server, plan_served):
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    page.goto(live_server.url + "/massnahmen/")
    first, second = page.locator(".portal-results tbody tr").all()[:2]
    one, two = first.bounding_box(), second.bounding_box()
    assert one and two and one["width"] <= PHONE_WIDTH and two["y"] >= one["y"] + one["height"]
    # Each value names its column (CSS generated from data-label); the badge has its text.
    labels = first.locator("td").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)"
    )
    assert '"Federführung: "' in labels and '"Status: "' in labels, labels
    assert first.locator(".portal-status .kern-label").inner_text()
    # The filters sit behind one "Filter" button that opens without JavaScript.
    select = page.get_by_label("Handlungsfeld", exact=True)
    assert not select.is_visible()
    page.locator("summary", has_text="Filter").click()
    assert select.is_visible()


def test_long_compounds_hyphenate_in_german(page: Page, live_server, plan_served):
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    page.goto(live_server.url + "/leitziele/1.3/")
    assert page.evaluate("document.documentElement.lang") == "de"
    assert page.evaluate("getComputedStyle(document.querySelector('main')).hyphens") == "auto"


# Sums the layout shifts without recent input, as Lighthouse's CLS does (one window suffices
# for a page that does not scroll while measured).
LAYOUT_SHIFTS = """
  window.__layoutShift = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (!entry.hadRecentInput) window.__layoutShift += entry.value;
    }
  }).observe({type: "layout-shift", buffered: true});
"""


@pytest.mark.parametrize("path", ["/", "/massnahmen/2-84/"])
def test_nothing_moves_when_the_web_font_arrives_late(page: Page, live_server, plan_served, path):
    """The fonts come a second late, as on a slow phone network: the fallback font has Fira
    Sans's widths and line metrics, so the swap shifts nothing (Lighthouse: CLS < 0.1)."""
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    page.add_init_script(LAYOUT_SHIFTS)

    def late(route: Any) -> None:
        time.sleep(1)
        route.continue_()

    page.route("**/*.woff2", late)
    page.goto(live_server.url + path, wait_until="load")
    page.evaluate("document.fonts.ready")
    assert page.evaluate(
        "[...document.fonts].some(f => f.family === 'Fira Sans' && f.status === 'loaded')"
    )
    assert page.evaluate("window.__layoutShift") < 0.1
