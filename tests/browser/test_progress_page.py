"""The progress page (/umsetzungsstand/) in Chromium: axe (WCAG 2.1 AA) and the CSP."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page

from monitoring import demo
from monitoring.models import ReportingRound, StatusOption, StatusReport
from plans.models import Measure, Organisation, Plan

URL = "/umsetzungsstand/"


def publish_earlier_round(plan: Plan) -> None:
    """An earlier round in which every status occurs (a read test: reports are made directly)."""
    reporting_round = ReportingRound.objects.create(
        plan=plan,
        name="Monitoring 2025",
        reporting_date=datetime.date(2025, 6, 30),
        deadline=datetime.date(2025, 9, 30),
        state=ReportingRound.State.CLOSED,
    )
    statuses = list(StatusOption.objects.filter(plan=plan).order_by("order"))
    organisation = Organisation.objects.get(plan=plan, abbreviation="SLR")
    measures = Measure.objects.filter(plan=plan).in_number_order()[::2]
    StatusReport.objects.bulk_create(
        StatusReport(
            reporting_round=reporting_round,
            measure=measure,
            organisation=organisation,
            status=statuses[position % len(statuses)],
            state=StatusReport.State.PUBLISHED,
            published_at=timezone.now(),
        )
        for position, measure in enumerate(measures)
    )


@pytest.fixture
def demo_data(transactional_db, kek_plan, settings, tmp_path, monkeypatch) -> Plan:
    """KEK 2030 with the monitoring demo (one published report) and an earlier round."""
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("KEK_DEMO_PASSWORD", "ein-langes-demo-passwort")
    demo.ensure_demo_members(kek_plan)
    demo.ensure_demo_round(kek_plan)
    publish_earlier_round(kek_plan)
    cache.clear()
    return kek_plan


@pytest.fixture
def nothing_published(transactional_db: Any, kek_plan: Plan) -> Plan:
    """KEK 2030 without any report: the page's empty state."""
    cache.clear()
    return kek_plan


def test_progress_page_has_no_wcag_21_aa_violations(
    page: Page, live_server, demo_data, axe_violations
):
    page.goto(live_server.url + URL)
    assert page.locator("h1").count() == 1
    rounds = page.locator("section[aria-labelledby^=runde-]")
    assert rounds.locator("svg[role=img]").count() == 6  # two rounds, three fields
    assert rounds.locator("table caption").count() == 2
    # Over the rounds: the whole plan, three fields and ten goals, a bar per round each.
    assert page.locator("svg[role=img]").count() == 6 + (1 + 3 + 10) * 2
    assert page.locator("table caption").count() == 2 + 1 + 3 + 10
    assert axe_violations(page) == []


def test_empty_progress_page_has_no_wcag_21_aa_violations(
    page: Page, live_server, nothing_published, axe_violations
):
    page.goto(live_server.url + URL)
    assert page.locator("h1").count() == 1
    assert "noch kein Sachstand" in page.locator("main").inner_text()
    assert axe_violations(page) == []


def test_progress_page_works_with_the_csp_enforced(
    csp_page: Page, csp_violations, live_server, demo_data
):
    csp_page.goto(live_server.url + URL)
    csp_page.wait_for_load_state("networkidle")
    assert csp_violations == []
    # The status colours are SVG presentation attributes, which the CSP allows (no inline styles).
    fill = csp_page.locator(".status-bar__segment").first.evaluate(
        "element => getComputedStyle(element).fill"
    )
    assert fill not in ("", "none", "rgb(0, 0, 0)")
