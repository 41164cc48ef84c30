"""The audit trail per measure: catalogue changes (who, old → new) and the events one may read."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring import measure_audit, services
from monitoring.models import StatusReport
from monitoring.tests.factories import World

State = StatusReport.State


def _rename(world: World, user: Any, title: str) -> None:
    """A back-office edit of the measure, recorded with its user."""
    measure = world.measure
    measure.title = title
    measure._history_user = user
    measure.save()


def test_a_catalogue_change_shows_who_changed_which_field_from_what_to_what(
    staff_client: Any, world: World
) -> None:
    _rename(world, world.coordination, "Radwegenetz ausbauen und beschildern")
    page = staff_client("reader").get("/intern/massnahmen/1-1/verlauf/")
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count("<h1") == 1
    assert "Die Maßnahme wurde geändert." in text
    assert "Radwegenetz ausbauen</td>" in text
    assert "Radwegenetz ausbauen und beschildern</td>" in text
    assert "coordination" in text


def test_a_placement_change_is_listed_with_its_old_and_new_lead_text(world: World) -> None:
    placement = world.placement
    old_lead = placement.lead
    placement.lead = "AfS, UWA"
    placement._history_user = world.coordination
    placement.save()
    entries = measure_audit.measure_timeline(world.coordination, world.measure)
    changed = [e for e in entries if e.changes and "Einordnung" in e.what]
    assert changed, [e.what for e in entries]
    assert any(c.old == (old_lead or "–") and c.new == "AfS, UWA" for c in changed[0].changes)


def test_events_on_another_offices_draft_stay_hidden(world: World) -> None:
    draft = world.report(State.DRAFT)  # AfS's draft on 1-1
    for persona, sees in [
        ("coordination", True),
        ("editor_of_lead_office", True),
        ("editor_of_other_office", False),
        ("reader", False),
    ]:
        entries = measure_audit.measure_timeline(world.user(persona), world.measure)
        assert any(e.report_id == draft.pk for e in entries) is sees, persona


def test_published_reports_events_are_visible_to_every_role(world: World) -> None:
    published = world.report(State.PUBLISHED)
    entries = measure_audit.measure_timeline(world.user("reader"), world.measure)
    sentences = [e.what for e in entries if e.report_id == published.pk]
    assert "Bericht für 1-1 wurde veröffentlicht." in sentences


def test_the_timeline_is_newest_first_and_needs_the_same_queries_however_long(
    world: World,
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            measure_audit.measure_timeline(world.coordination, world.measure)
        return len(queries)

    _rename(world, world.coordination, "Erste Fassung")
    few = count()
    for n in range(5):
        _rename(world, world.coordination, f"Fassung {n}")
    report = world.report(State.DRAFT)
    services.save_report(world.coordination, report, {"summary": "Mehr"}, report.version)
    assert count() == few
    entries = measure_audit.measure_timeline(world.coordination, world.measure)
    assert [e.when for e in entries] == sorted((e.when for e in entries), reverse=True)


def test_the_measure_page_links_to_its_audit_trail(staff_client: Any, world: World) -> None:
    page = staff_client("participant").get("/intern/massnahmen/1-1/").content.decode()
    assert 'href="/intern/massnahmen/1-1/verlauf/"' in page


def test_the_audit_trail_needs_a_role(staff_client: Any, world: World) -> None:
    assert staff_client("anonymous").get("/intern/massnahmen/1-1/verlauf/").status_code == 302
    assert staff_client("no_role").get("/intern/massnahmen/1-1/verlauf/").status_code == 403
