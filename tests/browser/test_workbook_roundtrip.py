"""The Excel round trip in Chromium: download, fill with openpyxl, upload, preview, apply."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from playwright.sync_api import Page, expect

from accounts.models import Membership
from monitoring import services
from monitoring.models import StatusReport
from monitoring.tests.workbook_helpers import fill, sheet_rows
from plans.models import Organisation, Plan
from tests.browser.staff import PASSWORD, sign_in


@pytest.fixture
def slr_round(transactional_db: Any, kek_plan: Plan, settings: Any, tmp_path: Path) -> Plan:
    """KEK 2030, an SLR editor and an open round, seen by the live server."""
    settings.VAR_DIR = tmp_path
    cache.clear()
    coordination = get_user_model().objects.create_user("koordination", password=PASSWORD)
    Membership.objects.create(user=coordination, plan=kek_plan, role=Membership.Role.COORDINATION)
    editor = get_user_model().objects.create_user("redaktion-slr", password=PASSWORD)
    slr = Organisation.objects.get(plan=kek_plan, abbreviation="SLR")
    Membership.objects.create(
        user=editor, plan=kek_plan, role=Membership.Role.EDITOR, organisation=slr
    )
    services.open_round(
        coordination,
        kek_plan,
        "Monitoring 2026",
        datetime.date(2026, 6, 30),
        datetime.date(2026, 12, 31),
    )
    return kek_plan


def test_an_office_does_the_excel_round_trip(
    open_context: Callable[[], Page],
    live_server: Any,
    slr_round: Plan,
    tmp_path: Path,
    axe_violations: Any,
) -> None:
    base = live_server.url
    page = open_context()
    sign_in(page, base, "redaktion-slr")
    page.goto(base + "/intern/massnahmen/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Arbeitsmappe von SLR herunterladen (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename == "arbeitsmappe-monitoring-2026-slr.xlsx"
    original = Path(download.path()).read_bytes()
    rows = sheet_rows(original)
    assert len(rows) == 90
    first, second = rows[0]["number"], rows[1]["number"]
    filled = tmp_path / "ausgefuellt.xlsx"
    filled.write_bytes(
        fill(
            original,
            {
                first: {"status": "in Umsetzung", "progress": 35, "summary": "Aus Excel: Stand"},
                second: {"next_steps": "Aus Excel: nächster Schritt"},
            },
        )
    )

    page.get_by_role("link", name="Ausgefüllte Arbeitsmappe hochladen").click()
    expect(page.locator("h1")).to_have_text("Arbeitsmappe hochladen")
    page.locator("#datei").set_input_files(str(filled))
    page.get_by_role("button", name="Arbeitsmappe prüfen").click()
    expect(page.locator("h1")).to_have_text("Vorschau der Arbeitsmappe")
    expect(page.get_by_role("status")).to_contain_text("2 Berichte ändern sich")
    expect(page.locator("table")).to_contain_text("Aus Excel: Stand")
    assert axe_violations(page) == []
    assert not StatusReport.objects.exists()

    page.get_by_role("button", name="Änderungen als Entwürfe speichern").click()
    expect(page.locator("h1")).to_have_text("Meine Maßnahmen")
    expect(page.locator(".staff-messages")).to_contain_text("2 Berichte wurden")
    row = page.locator(f"#massnahme-{first}")
    expect(row).to_contain_text("Entwurf")
    row.get_by_role("link", name="Bericht bearbeiten").click()
    expect(page.locator("#id_summary")).to_have_value("Aus Excel: Stand")
    expect(page.locator("#id_progress")).to_have_value("35")
