"""Every mutating view (POST endpoint) × every persona: only the allowed combinations succeed.

A success is a redirect to a staff page plus the intended change in the database; a refusal
is the login redirect (anonymous), 403 or 404, and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from monitoring import comments, services
from monitoring.models import Comment, Event, ReportingRound, StatusReport
from monitoring.tests.factories import PERSONAS, World
from monitoring.tests.test_views import form_data, report_url

State = StatusReport.State


@dataclass
class Case:
    """A POST request and how to tell that it took effect."""

    url: str
    data: dict[str, Any]
    took_effect: Callable[[], bool]


def _open_round(world: World) -> Case:
    data = {"name": "Monitoring 2027", "reporting_date": "2027-06-30", "deadline": "2027-09-30"}
    return Case(
        "/intern/runden/",
        data,
        lambda: ReportingRound.objects.filter(name="Monitoring 2027").exists(),
    )


def _close_round(world: World) -> Case:
    pk = world.reporting_round.pk
    return Case(
        f"/intern/runden/{pk}/schliessen/",
        {},
        lambda: not ReportingRound.objects.get(pk=pk).is_open,
    )


def _reopen_round(world: World) -> Case:
    reporting_round = world.reporting_round
    services.close_round(world.coordination, reporting_round)
    return Case(
        f"/intern/runden/{reporting_round.pk}/wieder-oeffnen/",
        {"reason": "AfS reicht eine Korrektur nach."},
        lambda: ReportingRound.objects.get(pk=reporting_round.pk).is_open,
    )


def _start_report(world: World) -> Case:
    data = {
        "round": world.reporting_round.pk,
        "measure": world.measure.pk,
        "organisation": world.afs.pk,
    }
    return Case("/intern/berichte/anlegen/", data, StatusReport.objects.exists)


def _save(world: World) -> Case:
    report = world.report(State.DRAFT)
    return Case(
        report_url(report),
        form_data(report, summary="Geändert"),
        lambda: StatusReport.objects.get(pk=report.pk).summary == "Geändert",
    )


def _state_case(world: World, start: State, suffix: str, target: State, **data: Any) -> Case:
    report = world.report(start)
    return Case(
        report_url(report, suffix),
        data,
        lambda: StatusReport.objects.get(pk=report.pk).state == target,
    )


def _submit(world: World) -> Case:
    return _state_case(world, State.DRAFT, "einreichen/", State.SUBMITTED)


def _return(world: World) -> Case:
    return _state_case(world, State.SUBMITTED, "zurueckgeben/", State.RETURNED, comment="Bitte")


def _approve(world: World) -> Case:
    return _state_case(world, State.SUBMITTED, "freigeben/", State.APPROVED)


def _publish(world: World) -> Case:
    return _state_case(world, State.APPROVED, "veroeffentlichen/", State.PUBLISHED)


def _publish_round(world: World) -> Case:
    report = world.report(State.APPROVED)
    return Case(
        f"/intern/runden/{world.reporting_round.pk}/veroeffentlichen/",
        {},
        lambda: StatusReport.objects.get(pk=report.pk).state == State.PUBLISHED,
    )


def _remind(world: World) -> Case:
    return Case(
        f"/intern/runden/{world.reporting_round.pk}/erinnern/",
        {},
        Event.objects.filter(kind=Event.Kind.REMINDERS_SENT).exists,
    )


def _restore(world: World) -> Case:
    report = world.report(State.DRAFT)  # version 2 holds "Erster Stand"; restore version 1
    first = report.history.get(version=1)
    return Case(
        report_url(report, f"verlauf/{first.history_id}/wiederherstellen/"),
        {},
        lambda: StatusReport.objects.get(pk=report.pk).summary == "",
    )


def _add_comment(world: World) -> Case:
    return Case(
        f"/intern/massnahmen/{world.measure.number}/kommentare/",
        {"text": "Ein Hinweis aus dem Amt."},
        Comment.objects.filter(text="Ein Hinweis aus dem Amt.").exists,
    )


def _delete_report(world: World) -> Case:
    report = world.report(State.DRAFT)
    return Case(
        report_url(report, "loeschen/"),
        {},
        lambda: StatusReport.objects.get(pk=report.pk).is_deleted,
    )


def _delete_comment(world: World) -> Case:
    comment = comments.add_comment(world.user("participant"), world.measure, "Ein Hinweis.")
    return Case(
        f"/intern/kommentare/{comment.pk}/ausblenden/",
        {},
        lambda: Comment.objects.get(pk=comment.pk).is_deleted,
    )


BOTH = {"coordination", "editor_of_lead_office"}
COORDINATION = {"coordination"}
# world.measure: AfS (editor_of_lead_office) leads it, UWA (participant) takes part.
COMMENTERS = {"coordination", "editor_of_lead_office", "participant"}
# A comment the participant wrote: the coordination and its author hide it.
COORDINATION_AND_AUTHOR = {"coordination", "participant"}

# view → (case, personas allowed)
VIEWS: dict[str, tuple[Callable[[World], Case], set[str]]] = {
    "open_round": (_open_round, COORDINATION),
    "close_round": (_close_round, COORDINATION),
    "reopen_round": (_reopen_round, COORDINATION),
    "start_report": (_start_report, BOTH),
    "save_report": (_save, BOTH),
    "submit_report": (_submit, BOTH),
    "return_report": (_return, COORDINATION),
    "approve_report": (_approve, COORDINATION),
    "publish_report": (_publish, COORDINATION),
    "publish_round": (_publish_round, COORDINATION),
    "send_reminders": (_remind, COORDINATION),
    "restore_version": (_restore, BOTH),
    "delete_report": (_delete_report, BOTH),
    "add_comment": (_add_comment, COMMENTERS),
    "delete_comment": (_delete_comment, COORDINATION_AND_AUTHOR),
}
MATRIX = [(view, persona) for view in VIEWS for persona in PERSONAS]
ALLOWED = [(view, persona) for view, persona in MATRIX if persona in VIEWS[view][1]]


def test_matrix_covers_every_mutating_view_and_persona() -> None:
    assert (len(VIEWS), len(PERSONAS), len(MATRIX), len(ALLOWED)) == (15, 8, 120, 23)


@pytest.mark.parametrize(("view", "persona"), MATRIX)
def test_only_allowed_personas_succeed(
    staff_client: Any, world: World, view: str, persona: str
) -> None:
    make_case, allowed = VIEWS[view]
    case = make_case(world)
    response = staff_client(persona).post(case.url, case.data)
    if persona in allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"].startswith("/intern/")
        assert case.took_effect()
    else:
        if persona == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith("/anmelden/")
        else:
            assert response.status_code in (403, 404)
        assert not case.took_effect()


# --- the frozen round: the web refuses every write in a closed round, for everyone ----------

# Report writes whose role checks these personas pass: in a closed round the page answers 409
# with the German reason (the report form comes back with what was typed), nothing changes.
CLOSED_ROUND_VIEWS = [
    (view, persona)
    for view in (
        "start_report",
        "save_report",
        "submit_report",
        "return_report",
        "approve_report",
        "publish_report",
        "publish_round",
        "restore_version",
        "delete_report",
    )
    for persona in sorted(VIEWS[view][1])
]


@pytest.mark.parametrize(("view", "persona"), CLOSED_ROUND_VIEWS)
def test_every_write_in_a_closed_round_gets_the_refusal_page(
    staff_client: Any, world: World, view: str, persona: str
) -> None:
    make_case, _allowed = VIEWS[view]
    case = make_case(world)
    services.close_round(world.coordination, world.reporting_round)
    events = Event.objects.count()

    response = staff_client(persona).post(case.url, case.data)

    page = response.content.decode()
    assert response.status_code == 409, page[:2000]
    assert "Die Berichtsrunde „Monitoring 2026“ ist abgeschlossen" in page
    assert not case.took_effect()
    assert Event.objects.count() == events


def test_a_closed_round_shows_no_review_or_publish_buttons(staff_client: Any, world: World) -> None:
    report = world.report(State.APPROVED)
    services.close_round(world.coordination, world.reporting_round)
    client = staff_client("coordination")

    dashboard = client.get(f"/intern/runden/{world.reporting_round.pk}/").content.decode()
    report_page = client.get(report_url(report)).content.decode()

    assert f"/intern/berichte/{report.pk}/veroeffentlichen/" not in dashboard
    assert f"/intern/runden/{world.reporting_round.pk}/veroeffentlichen/" not in dashboard
    assert "Runde abgeschlossen: keine Änderungen." in dashboard
    assert f"/intern/berichte/{report.pk}/veroeffentlichen/" not in report_page
    assert "ist abgeschlossen: Dieser Bericht kann nicht mehr geändert werden." in report_page
