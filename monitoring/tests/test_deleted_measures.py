"""Soft deletion of measures in the monitoring: by the back office and by a re-import.

Nothing is lost: the measure, its placements, reports and history stay; worklists, report
changes and the staff pages treat the measure as gone until it is restored.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from monitoring import services, worklists
from monitoring.models import StatusReport
from monitoring.services import InvalidTransition
from monitoring.tests.factories import World
from plans.measure_deletion import restore_measures, soft_delete_measures
from plans.models import Measure, Placement
from plans.plan_data import plan_snapshot
from plans.services import import_parsed_plan

State = StatusReport.State


def _without(parsed: Any, number: str) -> Any:
    edited = copy.deepcopy(parsed)
    edited.measures = [m for m in edited.measures if m.number != number]
    edited.placements = [p for p in edited.placements if p.number != number]
    return edited


def test_a_re_import_without_a_reported_measure_deletes_it_softly_and_brings_it_back(
    world: World,
) -> None:
    report = world.report(State.DRAFT)
    document = plan_snapshot(world.plan)

    dropped = import_parsed_plan(_without(document, "1-1"), apply=True)

    assert "Maßnahme 1-1 entfällt." in dropped.removed
    assert any("nur als gelöscht markiert" in note for note in dropped.notes)
    measure = Measure.all_objects.get(pk=world.measure.pk)
    assert measure.is_deleted and measure.deleted_by is None
    assert "Nicht mehr im Dokument" in measure.deletion_note
    assert StatusReport.objects.filter(pk=report.pk).exists()
    assert not StatusReport.objects.current().filter(pk=report.pk).exists()
    assert (world.measure.pk, world.afs.pk) not in worklists.lead_pairs(world.plan)
    history = list(measure.history.order_by("history_date", "history_id"))
    assert [r.deleted_at is None for r in history] == [True, False]  # imported, then deleted
    # Its rows left with the document, so only a document with it can bring it back.
    refused = restore_measures([measure.pk], user=world.coordination)
    assert refused.done == [] and "nicht mehr im Dokument" in refused.refused[0]

    back = import_parsed_plan(document, apply=True)

    assert any("1-1" in note and "kehrt zurück" in note for note in back.notes)
    assert not Measure.all_objects.get(pk=world.measure.pk).is_deleted
    assert StatusReport.objects.current().filter(pk=report.pk).exists()
    assert (world.measure.pk, world.afs.pk) in worklists.lead_pairs(world.plan)
    assert import_parsed_plan(document, apply=False).has_changes is False


def test_reports_of_a_deleted_measure_cannot_change(world: World) -> None:
    report = world.report(State.DRAFT)
    soft_delete_measures([world.measure.pk], user=world.coordination, note="doppelt")

    with pytest.raises(InvalidTransition, match="Maßnahme 1-1 wurde gelöscht"):
        services.save_report(world.coordination, report, {"progress": 50}, report.version)

    restore_measures([world.measure.pk], user=world.coordination)
    services.save_report(world.coordination, report, {"progress": 50}, report.version)
    assert StatusReport.objects.get(pk=report.pk).progress == 50


def test_the_coordination_deletes_with_a_reason_and_restores_in_the_back_office(
    staff_client: Any, world: World
) -> None:
    client = staff_client("coordination")
    selected = {"action": "soft_delete", "_selected_action": [world.measure.pk]}

    confirmation = client.post("/admin/plans/measure/", selected)
    assert confirmation.status_code == 200
    page = confirmation.content.decode()
    assert "1-1 Radwegenetz ausbauen" in page and "Grund" in page
    assert not Measure.all_objects.get(pk=world.measure.pk).is_deleted

    done = client.post(
        "/admin/plans/measure/", {**selected, "confirmed": "yes", "note": "In 1-2 aufgegangen"}
    )

    assert done.status_code == 302
    measure = Measure.all_objects.get(pk=world.measure.pk)
    assert (measure.deleted_by, measure.deletion_note) == (world.coordination, "In 1-2 aufgegangen")
    listing = client.get("/admin/plans/measure/?deleted=yes").content.decode()
    assert f"/admin/plans/measure/{measure.pk}/change/" in listing
    assert client.get(f"/admin/plans/measure/{measure.pk}/change/").status_code == 200
    # The staff area points to the audit trail, which says who deleted it and why.
    assert client.get("/intern/massnahmen/1-1/").url == "/intern/massnahmen/1-1/verlauf/"
    trail = client.get("/intern/massnahmen/1-1/verlauf/").content.decode()
    assert "Diese Maßnahme wurde gelöscht" in trail and "In 1-2 aufgegangen" in trail
    assert Placement.all_objects.filter(measure=measure).count() == 1

    restored = client.post(
        "/admin/plans/measure/", {"action": "restore", "_selected_action": [measure.pk]}
    )

    assert restored.status_code == 302
    assert not Measure.objects.get(pk=measure.pk).is_deleted
    assert client.get("/intern/massnahmen/1-1/").status_code == 200
    records = list(Measure.history.filter(id=measure.pk).order_by("history_date", "history_id"))
    assert [(r.history_user, r.history_change_reason) for r in records[1:]] == [
        (world.coordination, "In 1-2 aufgegangen"),
        (world.coordination, "Wiederhergestellt"),
    ]


def test_a_deleted_measure_leaves_the_offices_worklist(staff_client: Any, world: World) -> None:
    client = staff_client("editor_of_lead_office")
    assert "/intern/massnahmen/1-1/" in client.get("/intern/massnahmen/").content.decode()

    soft_delete_measures([world.measure.pk], user=world.coordination)

    assert "/intern/massnahmen/1-1/" not in client.get("/intern/massnahmen/").content.decode()
    assert "1-1" not in {m.number for m in Measure.objects.filter(plan=world.plan)}
