"""On a 390 px wide phone screen no page scrolls sideways."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import Page

PHONE_WIDTH = 390
PAGES = ["/", "/massnahmen/2-84/", "/massnahmen/3-34/", "/leitziele/1.3/", "/organisationen/SLR/"]


@pytest.fixture
def plan_served(transactional_db, kek_plan):
    """KEK 2030 visible to the live server's thread; no cached pages from other tests."""
    cache.clear()
    return kek_plan


@pytest.mark.parametrize("path", PAGES)
def test_nothing_is_wider_than_a_phone_screen(page: Page, live_server, plan_served, path):
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    page.goto(live_server.url + path)
    too_wide = page.evaluate(
        """(limit) => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > limit + 1)
            .slice(0, 5)
            .map(e => e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 40))""",
        PHONE_WIDTH,
    )
    assert too_wide == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
