"""A step's progress is part of the report: in its history, its restore and its conflicts."""

from __future__ import annotations

from typing import Any

from monitoring import services
from monitoring.models import StatusReport, StepProgress
from monitoring.tests.factories import World
from monitoring.tests.test_views import form_data, report_url

State = StatusReport.State
Step = StepProgress.State


def _step(world: World) -> Any:
    return world.placement.steps.get()


def _state_of_step(report: StatusReport, world: World) -> str:
    progress = StepProgress.objects.filter(report=report, step=_step(world)).first()
    return progress.state if progress else Step.OPEN


def test_the_history_lists_a_step_change_with_old_and_new_state_and_who(
    staff_client: Any, world: World
) -> None:
    report = world.report(State.DRAFT)
    client = staff_client("editor_of_lead_office")
    client.post(report_url(report), form_data(report, **{f"step_{_step(world).pk}": "done"}))
    page = client.get(report_url(report, "verlauf/")).content.decode()
    assert "Schritt: Konzept erstellen" in page
    row = page[page.index("Schritt: Konzept erstellen") :]
    assert row.index("offen") < row.index("erledigt")
    assert "editor_of_lead_office" in page


def test_restoring_a_version_brings_back_its_step_states(world: World) -> None:
    report = world.report(State.DRAFT)
    services.set_step_progress(world.coordination, report, Step.IN_PROGRESS, step=_step(world))
    in_progress_version = StatusReport.objects.get(pk=report.pk).history.latest("history_date")
    report = StatusReport.objects.get(pk=report.pk)
    services.set_step_progress(world.coordination, report, Step.DONE, step=_step(world))
    report = StatusReport.objects.get(pk=report.pk)
    services.save_report(world.coordination, report, {"summary": "Später"}, report.version)

    services.restore_version(world.coordination, in_progress_version)

    assert _state_of_step(report, world) == Step.IN_PROGRESS
    latest = StepProgress.objects.get(report=report).history.latest("history_date")
    assert latest.history_user == world.coordination


def test_restoring_the_first_version_reopens_steps_set_later(world: World) -> None:
    report = world.report(State.DRAFT)
    first = report.history.earliest("history_date")
    services.set_step_progress(world.coordination, report, Step.DONE, step=_step(world))
    services.restore_version(world.coordination, first)
    assert _state_of_step(report, world) == Step.OPEN


def test_a_prefilled_step_state_is_recorded_with_the_user_who_started_the_report(
    world: World,
) -> None:
    report = world.report(State.DRAFT)
    services.set_step_progress(world.coordination, report, Step.DONE, step=_step(world))
    report = StatusReport.objects.get(pk=report.pk)
    services.submit_report(world.coordination, report)
    services.approve_report(world.coordination, report)
    services.publish_report(world.coordination, report)
    next_round = services.open_round(
        world.coordination,
        world.plan,
        "Monitoring 2027",
        report.reporting_round.reporting_date.replace(year=2027),
        report.reporting_round.deadline.replace(year=2027),
    )
    editor = world.user("editor_of_lead_office")
    prefilled = services.start_report(editor, next_round, world.measure, world.afs)
    record = StepProgress.history.get(report_id=prefilled.pk)
    assert record.state == Step.DONE
    assert record.history_user == editor


def test_the_conflict_page_shows_the_steps_of_both_versions(
    staff_client: Any, world: World
) -> None:
    report = world.report(State.DRAFT)
    field = f"step_{_step(world).pk}"
    stale = form_data(report, **{field: "dropped"})
    client = staff_client("editor_of_lead_office")
    client.post(report_url(report), form_data(report, **{field: "done"}))
    response = client.post(report_url(report), stale)
    page = response.content.decode()
    assert response.status_code == 409
    row = page[page.index("Schritt: Konzept erstellen") :]
    row = row[: row.index("</tr>")]
    assert "erledigt" in row and "entfallen" in row
    assert "abweichend" in row
    assert _state_of_step(report, world) == Step.DONE


def test_deleting_asks_first_then_marks_the_report_deleted_and_keeps_its_history(
    staff_client: Any, world: World
) -> None:
    report = world.report(State.DRAFT)
    client = staff_client("editor_of_lead_office")
    assert "Diesen Bericht löschen" in client.get(report_url(report)).content.decode()
    question = client.get(report_url(report, "loeschen/"))
    assert question.status_code == 200
    assert "Bericht zu 1-1 löschen?" in question.content.decode()
    assert not StatusReport.objects.get(pk=report.pk).is_deleted
    versions_before = report.history.count()

    response = client.post(report_url(report, "loeschen/"))

    assert response["Location"] == "/intern/massnahmen/"
    deleted = StatusReport.objects.get(pk=report.pk)
    assert deleted.is_deleted
    assert deleted.history.count() == versions_before + 1
    assert deleted.history.latest("history_date").history_user == world.user(
        "editor_of_lead_office"
    )
    assert client.get(report_url(report)).status_code == 404
    # The office can start again.
    again = services.start_report(
        world.user("editor_of_lead_office"), world.reporting_round, world.measure, world.afs
    )
    assert again.pk != report.pk


def test_a_published_report_offers_no_delete(staff_client: Any, world: World) -> None:
    report = world.report(State.PUBLISHED)
    page = staff_client("coordination").get(report_url(report)).content.decode()
    assert "Diesen Bericht löschen" not in page
    response = staff_client("coordination").post(report_url(report, "loeschen/"))
    assert response.status_code == 403
    assert not StatusReport.objects.get(pk=report.pk).is_deleted


def test_a_deleted_reports_history_stays_readable_to_those_who_saw_it(
    staff_client: Any, world: World
) -> None:
    report = world.report(State.DRAFT)
    services.save_report(world.coordination, report, {"summary": "Zweiter Stand"}, report.version)
    services.soft_delete_report(world.user("editor_of_lead_office"), report)
    url = report_url(report, "verlauf/")
    for persona in ("editor_of_lead_office", "coordination"):
        page = staff_client(persona).get(url)
        text = page.content.decode()
        assert page.status_code == 200, persona
        assert "Dieser Bericht wurde gelöscht." in text
        assert "Zweiter Stand" in text
        assert "wiederherstellen" not in text.lower().split("</h1>")[1].split("<footer")[0]
    assert staff_client("editor_of_other_office").get(url).status_code == 404
    assert staff_client("editor_of_lead_office").get(report_url(report)).status_code == 404
