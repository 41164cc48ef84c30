"""The staff page of one measure in Chromium: a participant comments, axe finds nothing."""

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
from monitoring.models import Comment
from plans.models import Measure, Organisation, Plan
from tests.browser.staff import PASSWORD, sign_in

Role = Membership.Role
PARTICIPANT = "beteiligte-uwa"


@pytest.fixture
def comment_plan(transactional_db: Any, kek_plan: Plan) -> Plan:
    """KEK 2030 with the coordination (and an open round) and a participant of UWA."""
    cache.clear()
    users = get_user_model().objects
    coordination = users.create_user("koordination", password=PASSWORD)
    Membership.objects.create(user=coordination, plan=kek_plan, role=Role.COORDINATION)
    uwa = Organisation.objects.get(plan=kek_plan, abbreviation="UWA")
    participant = users.create_user(PARTICIPANT, password=PASSWORD)
    Membership.objects.create(
        user=participant, plan=kek_plan, role=Role.PARTICIPANT, organisation=uwa
    )
    services.open_round(
        coordination,
        kek_plan,
        "Monitoring 2026",
        datetime.date(2026, 6, 30),
        datetime.date(2026, 12, 31),
    )
    return kek_plan


def measure_with_participant(plan: Plan, abbreviation: str) -> Measure:
    """The first measure (by number) the organisation takes part in."""
    return (
        Measure.objects.filter(
            plan=plan, placements__participant_rows__organisation__abbreviation=abbreviation
        )
        .distinct()
        .in_number_order()
        .first()
    )


def test_participant_writes_a_comment_and_sees_it_on_an_accessible_page(
    open_context: Callable[[], Page], live_server: Any, comment_plan: Plan, axe_violations: Any
) -> None:
    base = live_server.url
    measure = measure_with_participant(comment_plan, "UWA")
    url = f"{base}/intern/massnahmen/{measure.number}/"

    page = open_context()
    sign_in(page, base, PARTICIPANT)
    page.goto(url)
    expect(page.locator("h1")).to_have_text(f"Maßnahme {measure.number}")
    assert page.locator("h1").count() == 1
    expect(page.locator(".staff-facts")).to_contain_text("UWA")
    assert axe_violations(page) == []

    # An empty comment is refused at the field, in German.
    page.get_by_role("button", name="Kommentar senden").click()
    field = page.get_by_label("Ihr Kommentar")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_text-fehler")).to_have_text("Schreiben Sie einen Kommentar.")
    assert axe_violations(page) == []

    field.fill("Wir liefern die Daten zum Gewässerzustand.\n\nAb Juni <b>2027</b>.")
    page.get_by_role("button", name="Kommentar senden").click()
    expect(page.locator(".staff-messages")).to_contain_text("Ihr Kommentar wurde gespeichert.")
    entry = page.locator(".staff-history__entry").first
    expect(entry).to_contain_text(PARTICIPANT)
    expect(entry).to_contain_text("(UWA)")
    expect(entry).to_contain_text("Wir liefern die Daten zum Gewässerzustand.")
    expect(entry).to_contain_text("Ab Juni <b>2027</b>.")  # shown as typed, not as HTML
    expect(entry.get_by_role("button", name="Kommentar ausblenden")).to_be_visible()
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []

    comment = Comment.objects.get(measure=measure)
    assert comment.text == "Wir liefern die Daten zum Gewässerzustand.\n\nAb Juni <b>2027</b>."

    # The coordination reads it and hides it; the list is empty again.
    coordination = open_context()
    sign_in(coordination, base, "koordination")
    coordination.goto(url)
    coordination_entry = coordination.locator(f"#kommentar-{comment.pk}")
    expect(coordination_entry).to_contain_text("Gewässerzustand")
    coordination_entry.get_by_role("button", name="Kommentar ausblenden").click()
    expect(coordination.locator(".staff-messages")).to_contain_text("ausgeblendet")
    expect(coordination.locator(f"#kommentar-{comment.pk}")).to_have_count(0)
    assert Comment.objects.get(pk=comment.pk).is_deleted
