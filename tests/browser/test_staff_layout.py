"""The staff area's layout in Chromium: nothing runs off the page, lists lead somewhere, axe."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from playwright.sync_api import Page, expect

from accounts.models import Membership
from monitoring import comments, services
from monitoring.forms import step_targets
from monitoring.models import ReportingRound, StatusReport, StepProgress
from plans.models import Measure, Organisation, Plan
from tests.browser.staff import PASSWORD, sign_in

Role = Membership.Role
PHONE = {"width": 390, "height": 844}
# username → role, organisation abbreviation
STAFF = {
    "koordination": (Role.COORDINATION, None),
    "redaktion-slr": (Role.EDITOR, "SLR"),
    "beteiligte-uwa": (Role.PARTICIPANT, "UWA"),
    "leser": (Role.READER, None),
}


@pytest.fixture
def layout_plan(transactional_db: Any, kek_plan: Plan) -> Plan:
    """KEK 2030 with four roles and a round past its deadline, seen by the live server."""
    cache.clear()
    users = get_user_model().objects
    for username, (role, abbreviation) in STAFF.items():
        user = users.create_user(username, password=PASSWORD)
        organisation = (
            Organisation.objects.get(plan=kek_plan, abbreviation=abbreviation)
            if abbreviation
            else None
        )
        Membership.objects.create(user=user, plan=kek_plan, role=role, organisation=organisation)
    coordination = users.get(username="koordination")
    reporting_round = services.open_round(
        coordination,
        kek_plan,
        "Monitoring 2026",
        datetime.date(2026, 1, 31),
        datetime.date(2026, 3, 31),
    )
    # The deadline has passed, so the dashboard lists the overdue reports.
    ReportingRound.objects.filter(pk=reporting_round.pk).update(deadline=datetime.date(2026, 2, 1))
    return kek_plan


def _round(plan: Plan) -> ReportingRound:
    return ReportingRound.objects.get(plan=plan)


def _submitted_report_on_2_84(plan: Plan) -> StatusReport:
    """SLR's report on 2-84 (eleven steps and blocks of eight leads), submitted, some steps set."""
    coordination = get_user_model().objects.get(username="koordination")
    measure = Measure.objects.get(plan=plan, number="2-84")
    slr = Organisation.objects.get(plan=plan, abbreviation="SLR")
    report = services.start_report(coordination, _round(plan), measure, slr)
    status = report.reporting_round.plan.status_options.get(key="in_progress")
    report = services.save_report(
        coordination,
        report,
        {
            "status": status,
            "progress": 40,
            "summary": "Erste Module laufen.",
            "funding_amount": Decimal("12500.50"),
        },
        report.version,
    )
    first = step_targets(report)[0]
    services.set_step_progress(
        coordination, report, StepProgress.State.DONE, step=first.step, placement=first.placement
    )
    services.submit_report(coordination, report)
    return StatusReport.objects.get(pk=report.pk)


def _page_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_read_only_report_lists_every_step_beside_its_state_and_fits_a_phone(
    open_context: Callable[[], Page], live_server: Any, layout_plan: Plan, axe_violations: Any
) -> None:
    report = _submitted_report_on_2_84(layout_plan)
    page = open_context()
    sign_in(page, live_server.url, "leser")
    page.goto(f"{live_server.url}/intern/berichte/{report.pk}/")
    values = page.locator(".staff-values")
    expect(values).to_contain_text("12.500,50 €")
    rows = page.locator(".staff-steps__row")
    expect(rows).to_have_count(11)
    expect(rows.filter(has_text="offen")).to_have_count(10)
    # Values sit next to their labels, not at the far right.
    box = values.locator("dd").first.bounding_box()
    assert box is not None and box["x"] < 500
    assert _page_width(page) <= 1280
    assert axe_violations(page) == []

    page.set_viewport_size(PHONE)
    page.reload()
    assert _page_width(page) <= PHONE["width"]


def test_report_form_names_the_block_and_leads_of_each_step(
    open_context: Callable[[], Page], live_server: Any, layout_plan: Plan, axe_violations: Any
) -> None:
    coordination = get_user_model().objects.get(username="koordination")
    measure = Measure.objects.get(plan=layout_plan, number="2-84")
    slr = Organisation.objects.get(plan=layout_plan, abbreviation="SLR")
    report = services.start_report(coordination, _round(layout_plan), measure, slr)
    page = open_context()
    sign_in(page, live_server.url, "redaktion-slr")
    page.goto(f"{live_server.url}/intern/berichte/{report.pk}/")
    own = page.get_by_role("group", name="Schritte und Bausteine unter Federführung von SLR")
    other = page.get_by_role("group", name="Weitere Schritte und Bausteine der Maßnahme")
    expect(own.get_by_role("combobox")).to_have_count(9)
    expect(other.get_by_role("combobox")).to_have_count(2)
    expect(own).to_contain_text("Baustein: Wohnflächen-Monitoring")
    expect(other).to_contain_text("Federführung: UWA")
    expect(page.locator("label[for=id_status]")).to_contain_text("zum Einreichen nötig")
    page.locator("#id_funding_amount").fill("12.500,50")
    page.get_by_role("button", name="Speichern", exact=True).click()
    expect(page.locator(".staff-messages")).to_contain_text("gespeichert")
    expect(page.locator("#id_funding_amount")).to_have_value("12.500,50")
    assert axe_violations(page) == []
    page.set_viewport_size(PHONE)
    assert _page_width(page) <= PHONE["width"]


def test_dashboard_review_comes_first_and_returns_to_the_reports_row(
    open_context: Callable[[], Page], live_server: Any, layout_plan: Plan, axe_violations: Any
) -> None:
    report = _submitted_report_on_2_84(layout_plan)
    page = open_context()
    sign_in(page, live_server.url, "koordination")
    page.goto(f"{live_server.url}/intern/runden/{_round(layout_plan).pk}/")
    review = page.get_by_role("heading", name="Berichte zur Prüfung")
    overdue = page.get_by_role("heading", name="Überfällige Berichte der Ämter (231)")
    review_box, overdue_box = review.bounding_box(), overdue.bounding_box()
    assert review_box is not None and overdue_box is not None
    assert review_box["y"] < overdue_box["y"]
    expect(page.get_by_text("Überfällig: von der Koordination zu berichten (108)")).to_be_visible()
    # The long lists are folded: the page is short.
    assert page.evaluate("document.documentElement.scrollHeight") < 9000
    assert axe_violations(page) == []

    page.locator(f"#bericht-{report.pk}").get_by_role("button", name="Freigeben").click()
    expect(page.locator(f"#bericht-{report.pk}")).to_contain_text("freigegeben")
    assert page.url.endswith(f"#bericht-{report.pk}")
    expect(page.locator(f"#bericht-{report.pk}")).to_be_in_viewport()

    # On a phone the count tables scroll in their boxes; the page itself does not.
    page.set_viewport_size(PHONE)
    page.reload()
    assert _page_width(page) <= PHONE["width"]


def test_participant_reaches_its_measures_from_the_start_page(
    open_context: Callable[[], Page], live_server: Any, layout_plan: Plan, axe_violations: Any
) -> None:
    page = open_context()
    sign_in(page, live_server.url, "beteiligte-uwa")
    participations = page.get_by_role("list", name="Maßnahmen mit Beteiligung von UWA")
    expect(participations.get_by_role("link").first).to_be_visible()
    assert axe_violations(page) == []
    participations.get_by_role("link").first.click()
    expect(page.locator("h1")).to_contain_text("Maßnahme ")

    page.goto(live_server.url + "/intern/")
    page.get_by_label("Nummer der Maßnahme").fill("2-84")
    page.get_by_role("button", name="Maßnahme öffnen").click()
    expect(page.locator("h1")).to_have_text("Maßnahme 2-84")

    page.goto(live_server.url + "/intern/")
    page.get_by_label("Nummer der Maßnahme").fill("9-999")
    page.get_by_role("button", name="Maßnahme öffnen").click()
    expect(page.locator("h1")).to_have_text("Maßnahme nicht gefunden")
    expect(page.locator(".kern-error")).to_have_text(
        "Es gibt keine Maßnahme mit der Nummer „9-999“."
    )
    assert axe_violations(page) == []


def test_a_comment_without_spaces_does_not_widen_the_measure_page(
    open_context: Callable[[], Page], live_server: Any, layout_plan: Plan
) -> None:
    coordination = get_user_model().objects.get(username="koordination")
    measure = Measure.objects.get(plan=layout_plan, number="1-8")
    comments.add_comment(coordination, measure, "x" * 4000)
    page = open_context()
    sign_in(page, live_server.url, "koordination")
    page.goto(f"{live_server.url}/intern/massnahmen/1-8/")
    assert _page_width(page) <= 1280
    page.set_viewport_size(PHONE)
    page.reload()
    assert _page_width(page) <= PHONE["width"]
    lead = page.locator(".staff-facts dd").first
    box = lead.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]


def test_refusal_page_leads_back_to_the_dashboard(
    open_context: Callable[[], Page], live_server: Any, layout_plan: Plan
) -> None:
    report = _submitted_report_on_2_84(layout_plan)
    dashboard = f"{live_server.url}/intern/runden/{_round(layout_plan).pk}/"
    first, second = open_context(), open_context()
    for page in (first, second):
        sign_in(page, live_server.url, "koordination")
        page.goto(dashboard)
    first.locator(f"#bericht-{report.pk}").get_by_role("button", name="Freigeben").click()
    expect(first.locator(f"#bericht-{report.pk}")).to_contain_text("freigegeben")
    # The second tab still shows "Freigeben": approving twice is refused.
    second.locator(f"#bericht-{report.pk}").get_by_role("button", name="Freigeben").click()
    expect(second.locator("h1")).to_have_text("Das ist nicht möglich")
    second.get_by_role("link", name="Zurück", exact=True).click()
    expect(second.locator("h1")).to_have_text("Monitoring 2026")
