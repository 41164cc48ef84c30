"""The staff area in Chromium: a whole reporting round, a conflict between two editors, axe."""

from __future__ import annotations

import datetime
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from playwright.sync_api import Page, expect

from accounts.models import Membership
from monitoring import services, worklists
from monitoring.models import ReportingRound, StatusReport
from plans.models import Measure, Organisation, Plan
from tests.browser.staff import PASSWORD, sign_in

Role = Membership.Role
# username → role, organisation abbreviation
STAFF = {
    "koordination": (Role.COORDINATION, None),
    "redaktion-afs": (Role.EDITOR, "AfS"),
    "redaktion-slr": (Role.EDITOR, "SLR"),
}


@pytest.fixture
def staff_plan(transactional_db: Any, kek_plan: Plan, settings: Any, tmp_path: Path) -> Plan:
    """KEK 2030 with the coordination and two office editors, seen by the live server."""
    settings.VAR_DIR = tmp_path  # the public PDF report is stored there
    cache.clear()
    for username, (role, abbreviation) in STAFF.items():
        user = get_user_model().objects.create_user(username, password=PASSWORD)
        organisation = (
            Organisation.objects.get(plan=kek_plan, abbreviation=abbreviation)
            if abbreviation
            else None
        )
        Membership.objects.create(user=user, plan=kek_plan, role=role, organisation=organisation)
    return kek_plan


def measure_led_only_by(plan: Plan, abbreviation: str) -> Measure:
    """A measure the office leads alone (so its editor reports on it)."""
    organisation = Organisation.objects.get(plan=plan, abbreviation=abbreviation)
    pairs = worklists.lead_pairs(plan)
    leads: dict[int, set[int]] = {}
    for measure_id, organisation_id in pairs:
        leads.setdefault(measure_id, set()).add(organisation_id)
    candidates = [m for m, orgs in leads.items() if orgs == {organisation.pk}]
    return Measure.objects.filter(pk__in=candidates).in_number_order().first()


def write_report(page: Page, base_url: str, measure: Measure, summary: str) -> None:
    """An office editor starts the report from Meine Maßnahmen, fills it in and submits it."""
    page.goto(base_url + "/intern/massnahmen/")
    row = page.locator(f"#massnahme-{measure.number}")
    expect(row).to_contain_text("fehlt")
    row.get_by_role("button", name="Bericht beginnen").click()
    expect(page.locator("h1")).to_have_text(f"Bericht zur Maßnahme {measure.number}")
    page.locator("#id_status").select_option(label="in Umsetzung")
    page.locator("#id_progress").fill("30")
    page.locator("#id_summary").fill(summary)
    page.get_by_role("button", name="Speichern und einreichen").click()
    expect(page.locator(".staff-messages")).to_contain_text("eingereicht")


def test_a_whole_reporting_round_end_to_end(
    open_context: Callable[[], Page], live_server: Any, staff_plan: Plan, tmp_path: Path
) -> None:
    base = live_server.url
    afs_measure = measure_led_only_by(staff_plan, "AfS")
    slr_measure = measure_led_only_by(staff_plan, "SLR")

    # The coordination opens the round.
    coordination = open_context()
    sign_in(coordination, base, "koordination")
    coordination.get_by_role("link", name="Berichtsrunden", exact=True).click()
    coordination.locator("#id_name").fill("Monitoring 2026")
    coordination.locator("#id_reporting_date").fill("2026-06-30")
    coordination.locator("#id_deadline").fill("2026-12-31")
    coordination.get_by_role("button", name="Runde eröffnen").click()
    expect(coordination.locator("h1")).to_have_text("Monitoring 2026")

    # Two offices write and submit their reports.
    afs = open_context()
    sign_in(afs, base, "redaktion-afs")
    write_report(afs, base, afs_measure, "Planung läuft.")
    slr = open_context()
    sign_in(slr, base, "redaktion-slr")
    write_report(slr, base, slr_measure, "Erste Projekte gestartet.")
    afs_report = StatusReport.objects.get(measure=afs_measure)
    slr_report = StatusReport.objects.get(measure=slr_measure)

    # The coordination returns AfS's report with a comment.
    coordination.reload()
    row = coordination.locator(f"#bericht-{afs_report.pk}")
    expect(row).to_contain_text("eingereicht")
    row.locator("summary").click()
    row.get_by_label("Kommentar für das Amt").fill("Bitte den Zeitplan ergänzen.")
    row.get_by_role("button", name="Zurückgeben").click()
    expect(coordination.locator(f"#bericht-{afs_report.pk}")).to_contain_text("zurückgegeben")

    # AfS sees the comment, corrects the report and submits it again.
    afs.goto(base + "/intern/massnahmen/")
    row = afs.locator(f"#massnahme-{afs_measure.number}")
    expect(row).to_contain_text("Bitte den Zeitplan ergänzen.")
    row.get_by_role("link", name="Bericht bearbeiten").click()
    expect(afs.locator(".kern-alert--warning")).to_contain_text("Bitte den Zeitplan ergänzen.")
    afs.locator("#id_summary").fill("Planung läuft, Bau ab 2027.")
    afs.locator("#id_expected_completion").fill("2027-06")
    afs.get_by_role("button", name="Speichern und einreichen").click()
    expect(afs.locator(".staff-messages")).to_contain_text("eingereicht")

    # The coordination approves both and publishes the round.
    coordination.reload()
    for report in (afs_report, slr_report):
        coordination.locator(f"#bericht-{report.pk}").get_by_role(
            "button", name="Freigeben"
        ).click()
        expect(coordination.locator(f"#bericht-{report.pk}")).to_contain_text("freigegeben")
    coordination.get_by_role("button", name="Alle 2 freigegebenen Berichte veröffentlichen").click()
    expect(coordination.locator(".staff-messages")).to_contain_text(
        "2 Berichte wurden veröffentlicht"
    )

    states = set(
        StatusReport.objects.filter(pk__in=[afs_report.pk, slr_report.pk]).values_list(
            "state", flat=True
        )
    )
    assert states == {StatusReport.State.PUBLISHED}
    # The public measure page shows the published status.
    public = open_context()
    public.goto(base + f"/massnahmen/{afs_measure.number}/")
    status = public.locator("section.portal-status")
    expect(status).to_contain_text("in Umsetzung")
    expect(status).to_contain_text("AfS")

    # The coordination closes the round: its report goes public as HTML and PDF.
    coordination.goto(base + "/intern/runden/")
    coordination.get_by_role("link", name="Monitoring 2026").first.click()
    coordination.get_by_role("link", name="Runde abschließen …").click()
    coordination.get_by_role("button", name="Runde abschließen").click()
    expect(coordination.locator(".staff-messages")).to_contain_text("Die Runde wurde geschlossen.")
    assert ReportingRound.objects.closed().filter(plan=staff_plan).count() == 1

    public.goto(base + "/berichte/")
    public.get_by_role("link", name="Umsetzungsbericht Monitoring 2026").click()
    expect(public.locator("h1")).to_contain_text("Monitoring 2026")
    fact = public.locator(f"#massnahme-{afs_measure.number}")
    expect(fact).to_contain_text("Planung läuft, Bau ab 2027.")
    expect(public.locator(f"#massnahme-{slr_measure.number}")).to_contain_text(
        "Erste Projekte gestartet."
    )
    # Chromium shows a PDF inline: fetch the link's target with the page's own request context.
    # Rendering it the first time takes WeasyPrint a while on a busy machine.
    link = public.get_by_role(
        "link", name="Umsetzungsbericht Monitoring 2026 als PDF herunterladen"
    )
    response = public.request.get(base + link.get_attribute("href"), timeout=300_000)
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "bericht.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Monitoring 2026" in text
    assert "Planung läuft, Bau ab 2027." in text


def test_second_of_two_editors_gets_the_conflict_page_with_both_versions(
    open_context: Callable[[], Page], live_server: Any, staff_plan: Plan
) -> None:
    base = live_server.url
    coordination = get_user_model().objects.get(username="koordination")
    reporting_round = services.open_round(coordination, staff_plan, "Monitoring 2026", *_dates())
    measure = measure_led_only_by(staff_plan, "AfS")
    afs = Organisation.objects.get(plan=staff_plan, abbreviation="AfS")
    report = services.start_report(coordination, reporting_round, measure, afs)
    url = f"{base}/intern/berichte/{report.pk}/"

    first, second = open_context(), open_context()
    sign_in(first, base, "redaktion-afs")
    sign_in(second, base, "koordination")
    first.goto(url)
    second.goto(url)
    first.locator("#id_summary").fill("Fassung aus dem Amt")
    second.locator("#id_summary").fill("Fassung der Koordination")
    first.get_by_role("button", name="Speichern", exact=True).click()
    expect(first.locator(".staff-messages")).to_contain_text("gespeichert")

    with second.expect_response(url) as answer:
        second.get_by_role("button", name="Speichern", exact=True).click()
    assert answer.value.status == 409
    expect(second.locator("h1")).to_have_text("Konflikt: Der Bericht wurde inzwischen geändert")
    expect(second.locator(".staff-conflict__stored")).to_contain_text(["Fassung aus dem Amt"])
    expect(second.locator(".staff-conflict__yours")).to_contain_text(["Fassung der Koordination"])
    assert StatusReport.objects.get(pk=report.pk).summary == "Fassung aus dem Amt"
    second.get_by_role("link", name="Gespeicherte Fassung neu laden").click()
    expect(second.locator("#id_summary")).to_have_value("Fassung aus dem Amt")


def _dates() -> tuple[datetime.date, datetime.date]:
    return datetime.date(2026, 6, 30), datetime.date(2026, 12, 31)


def test_staff_pages_have_no_wcag_21_aa_violations(
    open_context: Callable[[], Page], live_server: Any, staff_plan: Plan, axe_violations: Any
) -> None:
    base = live_server.url
    coordination = get_user_model().objects.get(username="koordination")
    reporting_round = services.open_round(coordination, staff_plan, "Monitoring 2026", *_dates())
    measure = measure_led_only_by(staff_plan, "SLR")
    slr = Organisation.objects.get(plan=staff_plan, abbreviation="SLR")
    report = services.start_report(coordination, reporting_round, measure, slr)

    page = open_context()
    page.goto(base + "/anmelden/")
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []

    sign_in(page, base, "redaktion-slr")
    for path in (
        "/intern/massnahmen/",
        f"/intern/berichte/{report.pk}/",
        f"/intern/berichte/{report.pk}/verlauf/",
        f"/intern/berichte/{report.pk}/loeschen/",
        f"/intern/massnahmen/{measure.number}/verlauf/",
    ):
        page.goto(base + path)
        assert page.locator("h1").count() == 1, path
        assert axe_violations(page) == [], path

    page = open_context()
    sign_in(page, base, "koordination")
    page.goto(base + f"/intern/runden/{reporting_round.pk}/")
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
