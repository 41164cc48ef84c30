"""Carry-forward: an office marks a measure „unverändert seit <Runde>“ in one step."""

from __future__ import annotations

import datetime
from html import unescape
from typing import Any

import pytest

from monitoring import services
from monitoring.models import ReportingRound, StatusReport, StepProgress
from monitoring.tests.factories import World

State = StatusReport.State


def _published_2025(world: World) -> StatusReport:
    """AfS's published report on 1-1 in a closed round 2025, with texts and a done step."""
    coordination = world.coordination
    round_2025 = services.open_round(
        coordination,
        world.plan,
        "Monitoring 2025",
        datetime.date(2025, 6, 30),
        datetime.date(2025, 9, 30),
    )
    report = services.start_report(coordination, round_2025, world.measure, world.afs)
    status = world.plan.status_options.get(key="in_progress")
    services.save_report(
        coordination,
        report,
        {"status": status, "progress": 40, "summary": "Stand 2025", "next_steps": "Bauen"},
        report.version,
    )
    services.set_step_progress(
        coordination, report, StepProgress.State.DONE, step=world.placement.steps.get()
    )
    for step in (services.submit_report, services.approve_report, services.publish_report):
        step(coordination, StatusReport.objects.get(pk=report.pk))
    services.close_round(coordination, round_2025)
    return StatusReport.objects.get(pk=report.pk)


def test_carry_forward_copies_the_last_published_report_and_submits_it(world: World) -> None:
    previous = _published_2025(world)
    editor = world.user("editor_of_lead_office")

    report = services.carry_forward(editor, world.reporting_round, world.measure, world.afs)

    report = StatusReport.objects.get(pk=report.pk)
    assert report.carried_forward_from == previous
    assert report.state == State.SUBMITTED  # the coordination still reviews it
    assert (report.status, report.progress, report.summary, report.next_steps) == (
        previous.status,
        40,
        "Stand 2025",
        "Bauen",
    )
    assert report.author == editor
    assert list(report.step_progress.values_list("step_id", "state")) == [
        (world.placement.steps.get().pk, StepProgress.State.DONE)
    ]
    assert list(StatusReport.objects.carried_forward()) == [report]
    assert StatusReport.objects.get(pk=previous.pk).state == State.PUBLISHED  # untouched


def test_a_carried_forward_report_is_reviewed_and_published_like_any_other(world: World) -> None:
    _published_2025(world)
    report = services.carry_forward(
        world.user("editor_of_lead_office"), world.reporting_round, world.measure, world.afs
    )

    services.approve_report(world.coordination, report)
    services.publish_report(world.coordination, report)

    assert StatusReport.objects.giving_status(world.plan).get().pk == report.pk
    assert StatusReport.objects.carried_forward().published().count() == 1


def test_changing_a_returned_carried_forward_report_clears_the_mark(world: World) -> None:
    _published_2025(world)
    editor = world.user("editor_of_lead_office")
    report = services.carry_forward(editor, world.reporting_round, world.measure, world.afs)
    services.return_report(world.coordination, report, "Bitte den Sachstand aktualisieren.")
    report = StatusReport.objects.get(pk=report.pk)

    services.save_report(editor, report, {"summary": "Stand 2026"}, report.version)

    assert StatusReport.objects.get(pk=report.pk).carried_forward_from is None
    assert not StatusReport.objects.carried_forward().exists()


@pytest.mark.parametrize(
    ("persona", "error"),
    [
        ("editor_of_other_office", services.NotAllowed),
        ("participant", services.NotAllowed),
        ("reader", services.NotAllowed),
    ],
)
def test_only_who_may_start_the_report_may_carry_it_forward(
    world: World, persona: str, error: type[Exception]
) -> None:
    _published_2025(world)
    with pytest.raises(error):
        services.carry_forward(world.user(persona), world.reporting_round, world.measure, world.afs)
    assert not StatusReport.objects.filter(reporting_round=world.reporting_round).exists()


def test_carry_forward_is_refused_without_an_earlier_report_twice_or_in_a_closed_round(
    world: World,
) -> None:
    editor = world.user("editor_of_lead_office")
    with pytest.raises(services.InvalidTransition, match="nichts zu übernehmen"):
        services.carry_forward(editor, world.reporting_round, world.measure, world.afs)
    _published_2025(world)
    services.carry_forward(editor, world.reporting_round, world.measure, world.afs)
    with pytest.raises(services.InvalidTransition, match="bereits einen Bericht"):
        services.carry_forward(editor, world.reporting_round, world.measure, world.afs)
    services.close_round(world.coordination, world.reporting_round)
    StatusReport.objects.filter(reporting_round=world.reporting_round).update(is_deleted=True)
    with pytest.raises(services.InvalidTransition, match="abgeschlossen"):
        services.carry_forward(editor, world.reporting_round, world.measure, world.afs)


def test_meine_massnahmen_offers_unchanged_since_and_the_button_carries_forward(
    staff_client: Any, world: World
) -> None:
    previous = _published_2025(world)
    client = staff_client("editor_of_lead_office")
    page = unescape(client.get("/intern/massnahmen/").content.decode())
    assert "Unverändert seit Monitoring 2025" in page
    assert 'action="/intern/berichte/unveraendert/"' in page

    response = client.post(
        "/intern/berichte/unveraendert/",
        {
            "round": world.reporting_round.pk,
            "measure": world.measure.pk,
            "organisation": world.afs.pk,
        },
        follow=True,
    )

    page = unescape(response.content.decode())
    assert response.status_code == 200
    assert "1-1 wurde als unverändert seit Monitoring 2025 gemeldet" in page
    report = StatusReport.objects.get(reporting_round=world.reporting_round)
    assert (report.carried_forward_from, report.state) == (previous, State.SUBMITTED)
    assert "Unverändert seit Monitoring 2025" not in page  # the row has its report now

    coordination = staff_client("coordination")
    dashboard = unescape(
        coordination.get(f"/intern/runden/{world.reporting_round.pk}/").content.decode()
    )
    review = unescape(coordination.get(f"/intern/berichte/{report.pk}/").content.decode())
    assert "unverändert übernommen" in dashboard
    assert "unverändert übernommen: Das Amt hat die Maßnahme als unverändert seit " in review
    assert f'action="/intern/berichte/{report.pk}/freigeben/"' in review


def test_the_button_is_refused_for_another_office(staff_client: Any, world: World) -> None:
    _published_2025(world)
    response = staff_client("editor_of_other_office").post(
        "/intern/berichte/unveraendert/",
        {
            "round": world.reporting_round.pk,
            "measure": world.measure.pk,
            "organisation": world.afs.pk,
        },
    )
    assert response.status_code == 403
    assert not StatusReport.objects.filter(reporting_round=world.reporting_round).exists()
    assert ReportingRound.objects.count() == 2
