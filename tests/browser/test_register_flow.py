"""A Gemeinde editor maintains a Gewerbefläche in the staff area (axe clean); the register's
map shows it and stays usable by keyboard."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from accounts.models import Membership
from indicators.geometry import inner_point
from indicators.importers.municipalities import parse_boundaries
from indicators.models import COUNTY_AGS, Municipality, RegisterEntry
from indicators.services import ensure_default_registers, load_municipalities
from indicators.tests.conftest import BOUNDARIES
from plans.models import Organisation
from tests.browser.staff import PASSWORD, sign_in

pytestmark = pytest.mark.django_db
GRIMMA = "14729160"


@pytest.fixture
def grimma_editor(kek_plan):
    """KEK 2030 with the Gemeinden, the registers, and the editor of Grimma."""
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
    user = get_user_model().objects.create_user("grimma", password=PASSWORD)
    Membership.objects.create(
        user=user, plan=kek_plan, organisation=grimma, role=Membership.Role.MUNICIPALITY_EDITOR
    )
    return user


def test_a_gemeinde_editor_maintains_a_gewerbeflaeche(
    page: Page, live_server, grimma_editor, axe_violations
):
    longitude, latitude = inner_point(Municipality.objects.get(ags=GRIMMA).boundary)
    sign_in(page, live_server.url, "grimma")

    page.get_by_role("link", name="Kataster").click()
    page.get_by_role("link", name="Gewerbeflächen").click()
    expect(page.locator("h1")).to_have_text("Kataster: Gewerbeflächen")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Eintrag hinzufügen").click()
    assert page.locator("#id_gemeinde option").all_inner_texts() == ["Grimma"]
    page.get_by_label("Bezeichnung").fill("Gewerbegebiet Grimma-Süd")
    page.get_by_label("Fläche in ha").fill("12,5")
    page.get_by_label("Geographische Breite").fill(f"{latitude:.6f}")
    page.get_by_label("Geographische Länge").fill(f"{longitude:.6f}")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Eintrag speichern").click()

    expect(page.locator(".kern-table")).to_contain_text("Gewerbegebiet Grimma-Süd")
    page.get_by_role("link", name="Gewerbegebiet Grimma-Süd").click()
    page.get_by_label("Fläche in ha").fill("14")
    page.get_by_role("button", name="Eintrag speichern").click()
    expect(page.locator(".kern-table")).to_contain_text("14")
    entry = RegisterEntry.objects.get()
    assert (entry.quantity, entry.version, entry.changed_by) == (Decimal(14), 2, grimma_editor)

    # The public register page: its map has the new sum, reachable by keyboard.
    page.goto(live_server.url + "/kataster/gewerbeflaechen/")
    assert axe_violations(page) == []
    page.locator("h1").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.getAttribute('aria-label') || ''")
        if label.startswith("Grimma"):
            break
    assert label == "Grimma: 14,0 ha"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/gemeinden/{GRIMMA}/")
    expect(page.locator("#kataster ~ div, #kataster + *").first).to_be_visible()
    assert "Gewerbegebiet Grimma-Süd" in page.locator("main").inner_text()
