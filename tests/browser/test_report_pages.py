"""The public progress reports (/berichte/) in Chromium: axe (WCAG 2.1 AA) at 1280 and 390 px."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Page

from plans.models import Plan
from reports.example import full_round

WIDTHS = [1280, 390]


@pytest.fixture
def closed_rounds(transactional_db: Any, kek_plan: Plan, settings: Any, tmp_path: Any) -> Plan:
    """KEK 2030 with two closed rounds in which every measure was published."""
    settings.VAR_DIR = tmp_path
    full_round(kek_plan, "Monitoring 2025", datetime.date(2025, 6, 30))
    full_round(kek_plan, "Monitoring 2026", datetime.date(2026, 6, 30), shift=1)
    cache.clear()
    return kek_plan


@pytest.mark.parametrize("width", WIDTHS)
def test_report_list_and_report_page_have_no_wcag_21_aa_violations(
    page: Page, live_server: Any, closed_rounds: Plan, axe_violations: Any, width: int
):
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(live_server.url + "/berichte/")
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []

    page.get_by_role("link", name="Umsetzungsbericht Monitoring 2026").click()
    page.wait_for_load_state()
    assert page.url.endswith("/berichte/monitoring-2026/")
    assert page.locator("h1").count() == 1
    assert page.locator("article.report-fact").count() == 233
    # The page is no wider than the screen (wide tables scroll in their own box).
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []
