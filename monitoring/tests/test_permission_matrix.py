"""Every persona × every mutating service: only the allowed combinations succeed."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from monitoring import comments, services
from monitoring.models import Comment, Event, StatusReport, StepProgress
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
