"""A Gemeinde editor reads its Gewerbeflächen from a workbook, changes one, and enters its
Gemeinde's contribution to a measure led by “Kommunen”; the measure page and the Gemeinde
page show the aggregate. Every page axe clean."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from accounts.models import Membership
from indicators.geometry import inner_point
from indicators.importers.municipalities import parse_boundaries
from indicators.models import COUNTY_AGS, MunicipalContribution, Municipality, RegisterEntry
from indicators.services import ensure_default_registers, load_municipalities
from indicators.tests.conftest import BOUNDARIES
from monitoring.services.rounds import open_round
from plans.models import Organisation
from tests.browser.staff import PASSWORD, sign_in

pytestmark = pytest.mark.django_db
GRIMMA = "14729160"


@pytest.fixture
def grimma_editor(kek_plan):
    """KEK 2030 with the Gemeinden and registers, an open round, and Grimma's editor."""
    boundaries = parse_boundaries(BOUNDARIES.read_text(encoding="utf-8"), COUNTY_AGS)
    load_municipalities(kek_plan, boundaries, BOUNDARIES.name)
    ensure_default_registers(kek_plan)
    grimma = Organisation.objects.create(
        plan=kek_plan,
        abbreviation="Stadt Grimma",
        name="Stadt Grimma",
        kind=Organisation.Kind.MUNICIPALITY,
        ags=GRIMMA,
        in_glossary=False,
    )
    users = get_user_model().objects
    coordination = users.create_user("koordination", password=PASSWORD)
    Membership.objects.create(user=coordination, plan=kek_plan, role=Membership.Role.COORDINATION)
    open_round(
        coordination,
        kek_plan,
        "Monitoring 2026",
        datetime.date(2026, 6, 30),
        datetime.date(2026, 8, 31),
    )
    user = users.create_user("grimma", password=PASSWORD)
    Membership.objects.create(
        user=user, plan=kek_plan, organisation=grimma, role=Membership.Role.MUNICIPALITY_EDITOR
    )
    return user


def gewerbe_workbook() -> bytes:
    longitude, latitude = inner_point(Municipality.objects.get(ags=GRIMMA).boundary)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Gewerbeflächen"
    sheet.append(["gemeinde", "bezeichnung", "menge", "status", "eigentum", "breite", "laenge"])
    sheet.append([GRIMMA, "Gewerbepark Nord", 8.5, "verfügbar", "Gemeinde", latitude, longitude])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_gemeinde_editor_maintains_its_gewerbeflaechen_and_enters_a_contribution(
    page: Page, live_server, grimma_editor, axe_violations
):
    sign_in(page, live_server.url, "grimma")

    # The register: a workbook, previewed, then imported; then one figure changed by hand.
    page.get_by_role("link", name="Kataster").click()
    page.get_by_role("link", name="Gewerbeflächen").click()
    page.get_by_label("CSV- oder XLSX-Datei").set_input_files(
        {
            "name": "grimma.xlsx",
            "mimeType": "application/octet-stream",
            "buffer": gewerbe_workbook(),
        }
    )
    page.get_by_role("button", name="Vorschau zeigen").click()
    expect(page.locator("main")).to_contain_text("1 neu, 0 geändert, 0 unverändert.")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Jetzt einlesen").click()
    page.get_by_role("link", name="Gewerbepark Nord").click()
    page.get_by_label("Fläche in ha").fill("9,5")
    page.get_by_role("button", name="Eintrag speichern").click()
    expect(page.locator(".kern-table")).to_contain_text("9,5")
    entry = RegisterEntry.objects.get()
    assert (entry.quantity, entry.version, entry.source_file) == (Decimal("9.5"), 2, "grimma.xlsx")

    # The contribution to 1-9, a measure led by "Kommunen".
    page.get_by_role("link", name="Beiträge der Gemeinden").click()
    expect(page.locator("h1")).to_have_text("Beiträge der Gemeinden")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Eintragen 1-9", exact=True).click()
    expect(page.locator("h1")).to_have_text("Beitrag von Grimma zu 1-9")
    page.get_by_label("Stand in Ihrer Gemeinde").select_option(label="umgesetzt")
    page.get_by_label("Was Ihre Gemeinde tut").fill("Brache am Bahnhof saniert und vermarktet.")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Beitrag speichern").click()
    expect(page.locator("main")).to_contain_text("In 1 von 30 Gemeinden umgesetzt")
    contribution = MunicipalContribution.objects.get()
    assert (contribution.municipality.ags, contribution.status.key) == (GRIMMA, "implemented")

    # The public pages: the measure's aggregate and the Gemeinde's contributions.
    page.goto(live_server.url + "/massnahmen/1-9/")
    section = page.locator("section[aria-labelledby=gemeinden]")
    expect(section).to_contain_text("In 1 von 30 Gemeinden umgesetzt; 29 ohne Angabe.")
    assert axe_violations(page) == []
    page.goto(live_server.url + f"/gemeinden/{GRIMMA}/")
    expect(page.locator("section[aria-labelledby=beitraege]")).to_contain_text(
        "Brache am Bahnhof saniert und vermarktet."
    )
    assert axe_violations(page) == []
