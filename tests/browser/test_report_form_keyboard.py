"""The report form by keyboard alone in Chromium: an office editor writes and saves a report.

Only Tab, typing, the arrow keys and Enter: no clicks, no `fill`, no `select_option`. Every form
field the editor tabs to must show where the focus is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from monitoring.models import StatusReport
from monitoring.tests.factories import World, build_world
from tests.browser.staff import PASSWORD, sign_in

EDITOR = "editor_of_lead_office"  # an editor of AfS, which leads measure 1-1
SUMMARY = "Planung läuft, Ausschreibung im Herbst."

# What the browser says about the focused element.
FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    tag: element.tagName.toLowerCase(),
    id: element.id,
    text: (element.innerText || "").trim().slice(0, 40),
    outlineStyle: style.outlineStyle,
    outlineWidth: style.outlineWidth,
  };
}"""


@pytest.fixture
def office_world(transactional_db: Any, settings: Any) -> Iterator[World]:
    """The monitoring world (AfS leads 1-1, a round is open), seen by the live server."""
    cache.clear()
    world = build_world()
    settings.KEK_PLAN_SLUG = world.plan.slug
    editor = world.user(EDITOR)
    editor.set_password(PASSWORD)
    editor.save()
    yield world


def focused(page: Page) -> dict[str, str]:
    return page.evaluate(FOCUSED)


def tab_to(page: Page, selector: str, visited: list[dict[str, str]], limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus; note every stop."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        visited.append(focused(page))
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    stops = [f"{v['tag']}#{v['id']} {v['text']!r}" for v in visited[-limit:]]
    pytest.fail(f"Tab never reached {selector}; it stopped at: {stops}")


def selected_text(page: Page) -> str:
    return page.evaluate("() => document.activeElement.selectedOptions[0].text")


def shows_focus(stop: dict[str, str]) -> bool:
    return stop["outlineStyle"] != "none" and stop["outlineWidth"] not in ("0px", "")


def test_an_office_editor_writes_and_saves_a_report_with_the_keyboard_only(
    page: Page, live_server: Any, office_world: World
) -> None:
    base = live_server.url
    in_progress = office_world.plan.status_options.get(key="in_progress")
    sign_in(page, base, EDITOR)
    page.goto(base + "/intern/massnahmen/")
    visited: list[dict[str, str]] = []

    # Start the report on 1-1 from "Meine Maßnahmen".
    tab_to(page, "#massnahme-1-1 button", visited)
    assert visited[-1]["text"].startswith("Bericht beginnen")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Bericht zur Maßnahme 1-1")

    # Status: the arrow keys move through the options of the focused select.
    form_stops: dict[str, dict[str, str]] = {}
    tab_to(page, "#id_status", visited)
    form_stops["status"] = visited[-1]
    for _press in range(len(office_world.plan.status_options.all()) + 1):
        if selected_text(page) == in_progress.label:
            break
        page.keyboard.press("ArrowDown")
    assert selected_text(page) == in_progress.label

    tab_to(page, "#id_progress", visited)
    form_stops["progress"] = visited[-1]
    page.keyboard.type("45")

    tab_to(page, "#id_summary", visited)
    form_stops["summary"] = visited[-1]
    page.keyboard.type(SUMMARY)

    tab_to(page, ".staff-actions button:not([formaction])", visited)
    form_stops["save"] = visited[-1]
    assert form_stops["save"]["text"] == "Speichern"
    page.keyboard.press("Enter")
    expect(page.locator(".staff-messages")).to_contain_text("Der Bericht wurde gespeichert.")

    report = StatusReport.objects.get(measure=office_world.measure, organisation=office_world.afs)
    assert report.state == StatusReport.State.DRAFT
    assert report.author == office_world.user(EDITOR)
    assert (report.status, report.progress, report.summary) == (in_progress, 45, SUMMARY)
    # Each field the editor tabbed to showed the focus.
    hidden = {name: stop for name, stop in form_stops.items() if not shows_focus(stop)}
    assert not hidden, f"no visible focus on {hidden}"
