"""Optimistic locking, the audit trail (who, old/new values, restore) and the append-only log."""

from __future__ import annotations

import pytest

from monitoring import services
from monitoring.models import Event, StatusReport
from monitoring.models.event import AppendOnlyError
from monitoring.tests.factories import World

State = StatusReport.State


def test_a_second_save_with_a_stale_version_raises_a_conflict_with_both_versions(world: World):
    report = world.report(State.DRAFT)
    seen = report.version
    first_tab = StatusReport.objects.get(pk=report.pk)
    second_tab = StatusReport.objects.get(pk=report.pk)

    services.save_report(world.coordination, first_tab, {"summary": "Fassung A"}, seen)
    with pytest.raises(services.ConflictError) as conflict:
        services.save_report(
            world.user("editor_of_lead_office"), second_tab, {"summary": "Fassung B"}, seen
        )

    assert conflict.value.expected_version == seen
    assert conflict.value.stored_version == seen + 1
    assert conflict.value.stored.summary == "Fassung A"
    assert conflict.value.attempted == {"summary": "Fassung B"}
    assert "Nichts wurde überschrieben" in conflict.value.message or "nichts" in (
        conflict.value.message.lower()
    )
    stored = StatusReport.objects.get(pk=report.pk)
    assert (stored.summary, stored.version) == ("Fassung A", seen + 1)


def test_a_workflow_step_also_makes_an_open_form_stale(world: World):
    report = world.report(State.DRAFT)
    seen = report.version
    services.submit_report(world.coordination, StatusReport.objects.get(pk=report.pk))

    with pytest.raises(services.ConflictError):
        services.save_report(world.coordination, report, {"summary": "spät"}, seen)


def test_history_records_who_changed_what_from_which_old_value(world: World):
    editor = world.user("editor_of_lead_office")
    report = world.report(State.DRAFT)
    services.save_report(editor, report, {"summary": "Zweiter Stand"}, report.version)

    newest, previous = report.history.order_by("-history_date", "-history_id")[:2]
    delta = newest.diff_against(previous)
    changes = {change.field: (change.old, change.new) for change in delta.changes}
    assert newest.history_user == editor
    assert newest.history_date is not None
    assert changes["summary"] == ("Erster Stand", "Zweiter Stand")
    assert changes["version"] == (report.version - 1, report.version)


def test_restoring_an_earlier_version_creates_a_new_version_and_an_event(world: World):
    report = world.report(State.DRAFT)
    editor = world.user("editor_of_lead_office")
    services.save_report(editor, report, {"summary": "Falsch überschrieben"}, report.version)
    good = report.history.get(summary="Erster Stand")
    versions_before = report.history.count()

    services.restore_version(editor, good)

    report.refresh_from_db()
    assert report.summary == "Erster Stand"
    assert report.version > good.version
    assert report.history.count() == versions_before + 1
    latest = report.history.latest("history_date")
    assert latest.history_user == editor
    assert latest.history_change_reason == f"Version {good.version} wiederhergestellt"
    event = Event.objects.filter(report=report).latest("pk")
    assert event.kind == Event.Kind.REPORT_RESTORED
    assert event.sentence() == (
        f"Version {good.version} des Berichts für 1-1 wurde wiederhergestellt."
    )


def test_events_are_append_only(world: World):
    event = Event.objects.first()

    event.data = {"round": "geändert"}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.all().update(is_public=False)
    with pytest.raises(AppendOnlyError):
        Event.objects.all().delete()
    assert Event.objects.get(pk=event.pk).data == {"round": "Monitoring 2026"}


def test_published_reports_read_as_a_german_sentence_on_the_public_timeline(world: World):
    world.report(State.PUBLISHED)

    sentences = [event.sentence() for event in Event.objects.public().order_by("pk")]

    assert sentences == [
        "Die Berichtsrunde „Monitoring 2026“ wurde eröffnet.",
        "Bericht für 1-1 wurde veröffentlicht.",
    ]


def test_catalogue_changes_are_recorded_with_the_user(world: World):
    from simple_history.utils import update_change_reason

    measure = world.measure
    records_before = measure.history.count()
    measure._history_user = world.coordination
    measure.title = "Radwegenetz ausbauen und verbinden"
    measure.save()
    update_change_reason(measure, "Tippfehler")

    assert measure.history.count() == records_before + 1
    record = measure.history.latest("history_date")
    assert record.history_type == "~"
    assert record.history_user == world.coordination
    assert record.history_change_reason == "Tippfehler"
    assert record.title == "Radwegenetz ausbauen und verbinden"
    assert record.prev_record is not None
    changes = {c.field: (c.old, c.new) for c in record.diff_against(record.prev_record).changes}
    assert changes["title"] == ("Radwegenetz ausbauen", "Radwegenetz ausbauen und verbinden")


def test_a_measure_with_reports_cannot_be_deleted(world: World):
    from django.db.models import ProtectedError

    world.report(State.DRAFT)

    with pytest.raises(ProtectedError):
        world.measure.delete()
