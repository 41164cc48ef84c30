"""Every persona × every mutating service: only the allowed combinations succeed."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from monitoring import comments, services
from monitoring.models import ClosedRoundError, Comment, Event, StatusReport, StepProgress
from monitoring.tests.factories import PERSONAS, World

State = StatusReport.State

BOTH = {"coordination", "editor_of_lead_office"}
COORDINATION = {"coordination"}
# Who comments on world.measure: AfS leads it, UWA (the participant persona) takes part.
COMMENTERS = {"coordination", "editor_of_lead_office", "participant"}
# Who hides a comment the participant wrote: the coordination and the author.
COORDINATION_AND_AUTHOR = {"coordination", "participant"}


def _open_round(world: World, user: Any) -> Any:
    return services.open_round(
        user, world.plan, "Monitoring 2027", datetime.date(2027, 6, 30), datetime.date(2027, 9, 30)
    )


def _close_round(world: World, user: Any) -> Any:
    return services.close_round(user, world.reporting_round)


def _reopen_round(world: World, user: Any) -> Any:
    services.close_round(world.coordination, world.reporting_round)
    return services.reopen_round(user, world.reporting_round, "AfS reicht eine Korrektur nach.")


def _start_report(world: World, user: Any) -> Any:
    return services.start_report(user, world.reporting_round, world.measure, world.afs)


def _save_report(world: World, user: Any) -> Any:
    report = world.report(State.DRAFT)
    return services.save_report(user, report, {"summary": "Neu"}, report.version)


def _submit_report(world: World, user: Any) -> Any:
    return services.submit_report(user, world.report(State.DRAFT))


def _return_report(world: World, user: Any) -> Any:
    return services.return_report(user, world.report(State.SUBMITTED), "Bitte ergänzen.")


def _approve_report(world: World, user: Any) -> Any:
    return services.approve_report(user, world.report(State.SUBMITTED))


def _publish_report(world: World, user: Any) -> Any:
    return services.publish_report(user, world.report(State.APPROVED))


def _publish_round(world: World, user: Any) -> Any:
    world.report(State.APPROVED)
    return services.publish_round(user, world.reporting_round)


def _soft_delete_report(world: World, user: Any) -> Any:
    return services.soft_delete_report(user, world.report(State.DRAFT))


def _restore_version(world: World, user: Any) -> Any:
    report = world.report(State.DRAFT)
    first = report.history.earliest("history_date")
    return services.restore_version(user, first)


def _set_step_progress(world: World, user: Any) -> Any:
    report = world.report(State.DRAFT)
    step = world.placement.steps.get()
    return services.set_step_progress(user, report, StepProgress.State.DONE, step=step)


def _add_comment(world: World, user: Any) -> Any:
    return comments.add_comment(user, world.measure, "Ein Hinweis.")


def _delete_comment(world: World, user: Any) -> Any:
    comment = comments.add_comment(world.user("participant"), world.measure, "Ein Hinweis.")
    return comments.delete_comment(user, comment)


# service → (action, personas allowed to do it)
SERVICES: dict[str, tuple[Callable[[World, Any], Any], set[str]]] = {
    "open_round": (_open_round, COORDINATION),
    "close_round": (_close_round, COORDINATION),
    "reopen_round": (_reopen_round, COORDINATION),
    "start_report": (_start_report, BOTH),
    "save_report": (_save_report, BOTH),
    "submit_report": (_submit_report, BOTH),
    "return_report": (_return_report, COORDINATION),
    "approve_report": (_approve_report, COORDINATION),
    "publish_report": (_publish_report, COORDINATION),
    "publish_round": (_publish_round, COORDINATION),
    "soft_delete_report": (_soft_delete_report, BOTH),
    "restore_version": (_restore_version, BOTH),
    "set_step_progress": (_set_step_progress, BOTH),
    "add_comment": (_add_comment, COMMENTERS),
    "delete_comment": (_delete_comment, COORDINATION_AND_AUTHOR),
}

MATRIX = [
    pytest.param(service, persona, persona in allowed, id=f"{service}-{persona}")
    for service, (_action, allowed) in SERVICES.items()
    for persona in PERSONAS
]


def test_the_matrix_covers_every_service_and_persona():
    assert len(MATRIX) == len(SERVICES) * len(PERSONAS) == 120
    assert sum(1 for param in MATRIX if param.values[2]) == 24


@pytest.mark.parametrize(("service", "persona", "allowed"), MATRIX)
def test_only_allowed_roles_can_use_a_mutating_service(
    world: World, service: str, persona: str, allowed: bool
) -> None:
    action, _allowed = SERVICES[service]
    user = world.user(persona)

    if allowed:
        events_before = Event.objects.count()
        action(world, user)
        assert Event.objects.count() > events_before
    else:
        # The setup (done by the coordination) may log; the refused action itself must not.
        with pytest.raises(services.NotAllowed):
            _refused(world, action, user)


def _refused(world: World, action: Callable[[World, Any], Any], user: Any) -> None:
    """Run the action and check that a refusal leaves no trace of the user's own."""
    try:
        action(world, user)
    except services.NotAllowed:
        user_id = getattr(user, "pk", None)
        if user_id is not None:
            assert not Event.objects.filter(user_id=user_id).exists()
            assert not StatusReport.history.filter(history_user_id=user_id).exists()
            assert not Comment.history.filter(history_user_id=user_id).exists()
        raise


# --- the frozen round: nothing in a closed round can change, for anyone ---------------------

# write → (the report's state before the round closes, or None for no report; the write)
Write = Callable[[World, Any, Any], Any]
CLOSED_ROUND_WRITES: dict[str, tuple[State | None, Write, set[str]]] = {
    "start_report": (
        None,
        lambda w, u, r: services.start_report(u, w.reporting_round, w.measure, w.afs),
        BOTH,
    ),
    "save_report": (
        State.DRAFT,
        lambda w, u, r: services.save_report(u, r, {"summary": "Neu"}, r.version),
        BOTH,
    ),
    "submit_report": (State.DRAFT, lambda w, u, r: services.submit_report(u, r), BOTH),
    "return_report": (
        State.SUBMITTED,
        lambda w, u, r: services.return_report(u, r, "Bitte ergänzen."),
        COORDINATION,
    ),
    "approve_report": (
        State.SUBMITTED,
        lambda w, u, r: services.approve_report(u, r),
        COORDINATION,
    ),
    "publish_report": (
        State.APPROVED,
        lambda w, u, r: services.publish_report(u, r),
        COORDINATION,
    ),
    "publish_round": (
        State.APPROVED,
        lambda w, u, r: services.publish_round(u, w.reporting_round),
        COORDINATION,
    ),
    "soft_delete_report": (
        State.DRAFT,
        lambda w, u, r: services.soft_delete_report(u, r),
        BOTH,
    ),
    "restore_version": (
        State.DRAFT,
        lambda w, u, r: services.restore_version(u, r.history.earliest("history_date")),
        BOTH,
    ),
    "set_step_progress": (
        State.DRAFT,
        lambda w, u, r: services.set_step_progress(
            u, r, StepProgress.State.DONE, step=w.placement.steps.get()
        ),
        BOTH,
    ),
}
CLOSED_MATRIX = [
    pytest.param(write, persona, id=f"{write}-{persona}")
    for write in CLOSED_ROUND_WRITES
    for persona in PERSONAS
]


def test_the_closed_round_matrix_covers_every_report_write_and_persona() -> None:
    assert len(CLOSED_MATRIX) == 10 * len(PERSONAS) == 80


@pytest.mark.parametrize(("write", "persona"), CLOSED_MATRIX)
def test_no_persona_can_change_anything_in_a_closed_round(
    world: World, write: str, persona: str
) -> None:
    state, action, may_otherwise = CLOSED_ROUND_WRITES[write]
    report = world.report(state) if state is not None else None
    services.close_round(world.coordination, world.reporting_round)
    if report is not None:
        report = StatusReport.objects.get(pk=report.pk)
    before = _snapshot()
    user = world.user(persona)

    with pytest.raises(services.MonitoringError) as refused:
        action(world, user, report)

    if persona in may_otherwise:
        # The role would allow it: the closed round is the reason, said in German.
        assert isinstance(refused.value, services.InvalidTransition)
        assert refused.value.message == (
            "Die Berichtsrunde „Monitoring 2026“ ist abgeschlossen; darin kann sich nichts "
            "mehr ändern. Die Koordination kann sie mit einer Begründung wieder öffnen."
        )
    else:
        assert isinstance(refused.value, services.NotAllowed)
    assert _snapshot() == before


def _snapshot() -> tuple[Any, ...]:
    """Everything a write could have touched: reports, their history, steps, events."""
    return (
        list(StatusReport.objects.values_list("pk", "version", "state", "is_deleted", "summary")),
        StatusReport.history.count(),
        list(StepProgress.objects.values_list("pk", "state")),
        StepProgress.history.count(),
        Event.objects.count(),
    )


def test_the_models_refuse_to_change_a_report_or_step_of_a_closed_round(world: World) -> None:
    report = world.report(State.PUBLISHED)
    services.close_round(world.coordination, world.reporting_round)
    report = StatusReport.objects.get(pk=report.pk)
    message = (
        "Die Berichtsrunde „Monitoring 2026“ ist abgeschlossen; darin kann sich nichts mehr ändern."
    )

    report.summary = "Nachträglich geändert"
    with pytest.raises(ClosedRoundError) as refused:
        report.save()
    assert refused.value.message == message
    with pytest.raises(ClosedRoundError):
        report.delete()
    with pytest.raises(ClosedRoundError):
        StatusReport(
            reporting_round=world.reporting_round,
            measure=world.other_measure,
            organisation=world.slr,
        ).save()
    with pytest.raises(ClosedRoundError):
        StepProgress(report=report, step=world.placement.steps.get()).save()

    assert StatusReport.objects.get(pk=report.pk).summary == "Erster Stand"
    assert StatusReport.objects.count() == 1
    assert not StepProgress.objects.exists()


def test_a_reopened_round_can_change_again_and_then_shows_it_was_amended(world: World) -> None:
    report = world.report(State.PUBLISHED)
    reporting_round = world.reporting_round
    services.close_round(world.coordination, reporting_round)
    assert reporting_round.amended_at is None

    services.reopen_round(world.coordination, reporting_round, "Tippfehler in 1-1")
    assert reporting_round.amended_at is None  # open again: not amended yet
    services.start_report(
        world.user("editor_of_other_office"), reporting_round, world.other_measure
    )
    services.close_round(world.coordination, reporting_round)

    reporting_round.refresh_from_db()
    assert reporting_round.amended_at == reporting_round.closed_at
    assert reporting_round.closed_at and reporting_round.reopened_at
    assert reporting_round.closed_at > reporting_round.reopened_at
    assert StatusReport.objects.get(pk=report.pk).state == State.PUBLISHED
