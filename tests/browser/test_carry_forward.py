"""An office marks a measure „Unverändert seit <Runde>“ in Meine Maßnahmen (Chromium, axe)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from playwright.sync_api import Page, expect

from accounts.models import Membership
from monitoring import services
from monitoring.models import ReportingRound, StatusReport
from plans.models import Measure, Organisation, Plan
from tests.browser.staff import PASSWORD, sign_in

Role = Membership.Role
EDITOR = "redaktion-afs"


@pytest.fixture
def carried(transactional_db: Any, kek_plan: Plan) -> tuple[ReportingRound, StatusReport]:
    """A closed round 2025 with AfS's published report on its first measure; 2026 open."""
    cache.clear()
    users = get_user_model().objects
    coordination = users.create_user("koordination", password=PASSWORD)
    Membership.objects.create(user=coordination, plan=kek_plan, role=Role.COORDINATION)
    afs = Organisation.objects.get(plan=kek_plan, abbreviation="AfS")
    editor = users.create_user(EDITOR, password=PASSWORD)
    Membership.objects.create(user=editor, plan=kek_plan, role=Role.EDITOR, organisation=afs)
    measure = (
        Measure.objects.filter(plan=kek_plan, placements__lead_rows__organisation=afs)
        .distinct()
        .in_number_order()
        .first()
    )
    assert measure is not None
    round_2025 = services.open_round(
        coordination,
        kek_plan,
        "Monitoring 2025",
        datetime.date(2025, 6, 30),
        datetime.date(2025, 9, 30),
    )
    report = services.start_report(coordination, round_2025, measure, afs)
    services.save_report(
        coordination, report, {"progress": 30, "summary": "Planung läuft"}, report.version
    )
    for step in (services.submit_report, services.approve_report, services.publish_report):
        step(coordination, StatusReport.objects.get(pk=report.pk))
    services.close_round(coordination, round_2025)
    round_2026 = services.open_round(
        coordination,
        kek_plan,
        "Monitoring 2026",
        datetime.date(2026, 6, 30),
        datetime.date(2026, 12, 31),
    )
    return round_2026, StatusReport.objects.get(pk=report.pk)


def test_an_office_marks_a_measure_unchanged_in_one_step(
    open_context: Callable[[], Page],
    live_server: Any,
    carried: tuple[ReportingRound, StatusReport],
    axe_violations: Any,
) -> None:
    round_2026, previous = carried
    number = previous.measure.number
    page = open_context()
    sign_in(page, live_server.url, EDITOR)
    page.goto(f"{live_server.url}/intern/massnahmen/?q={number}")
    button = page.get_by_role("button", name=f"Unverändert seit Monitoring 2025 {number}")
    expect(button).to_be_visible()
    assert axe_violations(page) == []

    button.click()

    expect(page.locator(".staff-messages")).to_contain_text(
        f"{number} wurde als unverändert seit Monitoring 2025 gemeldet"
    )
    expect(
        page.get_by_role("button", name=f"Unverändert seit Monitoring 2025 {number}")
    ).to_have_count(0)
    assert axe_violations(page) == []
    report = StatusReport.objects.get(reporting_round=round_2026, measure=previous.measure)
    assert report.carried_forward_from == previous
    assert report.state == StatusReport.State.SUBMITTED
    assert (report.progress, report.summary) == (30, "Planung läuft")
