"""The workflow of a report: valid transitions move it on, invalid ones raise."""

from __future__ import annotations

import datetime

import pytest

from monitoring import services
from monitoring.models import Event, StatusOption, StatusReport
from monitoring.tests.factories import World

State = StatusReport.State


def test_a_report_runs_from_draft_to_published_and_each_step_is_an_event(world: World):
    editor = world.user("editor_of_lead_office")
    coordination = world.coordination
    report = services.start_report(editor, world.reporting_round, world.measure)
    services.save_report(editor, report, {"progress": 40, "summary": "Läuft"}, report.version)
    services.submit_report(editor, report)
    services.return_report(coordination, report, "Bitte Hemmnisse nennen.")
    assert report.state == State.RETURNED
    assert report.return_comment == "Bitte Hemmnisse nennen."
    services.save_report(editor, report, {"obstacles": "Personal fehlt"}, report.version)
    services.submit_report(editor, report)
    services.approve_report(coordination, report)
    services.publish_round(coordination, world.reporting_round)

    report.refresh_from_db()
    assert report.state == State.PUBLISHED
    assert report.published_at is not None
    kinds = list(Event.objects.filter(report=report).order_by("pk").values_list("kind", flat=True))
    assert kinds == [
        "report_started",
        "report_saved",
        "report_submitted",
        "report_returned",
        "report_saved",
        "report_submitted",
        "report_approved",
        "report_published",
    ]


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (State.DRAFT, "approve"),
        (State.DRAFT, "publish"),
        (State.DRAFT, "return"),
        (State.SUBMITTED, "publish"),
        (State.APPROVED, "approve"),
        (State.PUBLISHED, "return"),
        (State.PUBLISHED, "approve"),
        (State.PUBLISHED, "publish"),
        (State.RETURNED, "approve"),
        (State.RETURNED, "publish"),
    ],
)
def test_an_invalid_transition_raises_and_changes_nothing(world: World, state, action):
    report = world.report(state)
    version = report.version
    call = {
        "submit": lambda: services.submit_report(world.coordination, report),
        "return": lambda: services.return_report(world.coordination, report, "Nein"),
        "approve": lambda: services.approve_report(world.coordination, report),
        "publish": lambda: services.publish_report(world.coordination, report),
    }[action]

    with pytest.raises(services.InvalidTransition):
        call()

    report.refresh_from_db()
    assert (report.state, report.version) == (state, version)


@pytest.mark.parametrize("state", [State.SUBMITTED, State.APPROVED, State.PUBLISHED])
def test_submitting_a_report_that_was_submitted_already_changes_nothing(world: World, state):
    report = world.report(state)
    version, events = report.version, Event.objects.count()

    services.submit_report(world.coordination, report)

    report.refresh_from_db()
    assert (report.state, report.version, Event.objects.count()) == (state, version, events)


def test_a_published_report_cannot_be_changed_or_deleted_even_by_the_coordination(world: World):
    report = world.report(State.PUBLISHED)

    with pytest.raises(services.InvalidTransition, match="veröffentlicht"):
        services.save_report(world.coordination, report, {"summary": "x"}, report.version)
    with pytest.raises(services.InvalidTransition):
        services.soft_delete_report(world.coordination, report)


def test_an_office_editor_cannot_change_a_submitted_report_but_the_coordination_can(world: World):
    report = world.report(State.SUBMITTED)

    with pytest.raises(services.NotAllowed):
        services.save_report(
            world.user("editor_of_lead_office"), report, {"summary": "x"}, report.version
        )
    services.save_report(world.coordination, report, {"summary": "Korrektur"}, report.version)
    assert StatusReport.objects.get(pk=report.pk).summary == "Korrektur"


def test_submitting_needs_a_status_and_progress_unless_it_is_a_continuing_task(world: World):
    report = world.report(State.DRAFT)
    services.save_report(world.coordination, report, {"progress": None}, report.version)

    with pytest.raises(services.InvalidData) as refused:
        services.submit_report(world.coordination, report)
    assert "progress" in refused.value.errors

    continuous = StatusOption.objects.get(plan=world.plan, key="continuous")
    services.save_report(world.coordination, report, {"status": continuous}, report.version)
    services.submit_report(world.coordination, report)
    assert report.state == State.SUBMITTED


def test_returning_needs_a_comment(world: World):
    report = world.report(State.SUBMITTED)

    with pytest.raises(services.InvalidData):
        services.return_report(world.coordination, report, "   ")


def test_progress_outside_0_to_100_and_unknown_fields_are_refused(world: World):
    report = world.report(State.DRAFT)

    with pytest.raises(services.InvalidData) as refused:
        services.save_report(world.coordination, report, {"progress": 120}, report.version)
    assert "progress" in refused.value.errors
    with pytest.raises(services.InvalidData):
        services.save_report(world.coordination, report, {"state": "published"}, report.version)
    assert StatusReport.objects.get(pk=report.pk).state == State.DRAFT


def test_a_status_of_another_plan_is_refused(world: World, django_user_model):
    from plans.tests.factories import PlanFactory

    other = services.ensure_default_statuses(PlanFactory())[0]
    report = world.report(State.DRAFT)

    with pytest.raises(services.InvalidData):
        services.save_report(world.coordination, report, {"status": other}, report.version)


def test_expected_completion_is_stored_as_the_first_of_the_month(world: World):
    report = world.report(State.DRAFT)

    services.save_report(
        world.coordination,
        report,
        {"expected_completion": datetime.date(2028, 5, 17), "funding_amount": "1250.50"},
        report.version,
    )

    report.refresh_from_db()
    assert report.expected_completion == datetime.date(2028, 5, 1)
    assert str(report.funding_amount) == "1250.50"


def test_an_office_cannot_report_twice_on_a_measure_in_one_round(world: World):
    world.report(State.DRAFT)

    with pytest.raises(services.InvalidTransition):
        services.start_report(world.coordination, world.reporting_round, world.measure, world.afs)


def test_a_softly_deleted_report_stays_and_a_new_one_can_be_started(world: World):
    report = world.report(State.DRAFT)
    services.soft_delete_report(world.coordination, report)

    again = services.start_report(
        world.coordination, world.reporting_round, world.measure, world.afs
    )

    assert StatusReport.objects.filter(pk=report.pk, is_deleted=True).exists()
    assert again.pk != report.pk


def test_nobody_reports_or_publishes_in_a_closed_round(world: World):
    report = world.report(State.APPROVED)
    services.close_round(world.coordination, world.reporting_round)

    with pytest.raises(services.InvalidTransition, match="abgeschlossen"):
        services.start_report(
            world.user("editor_of_other_office"), world.reporting_round, world.other_measure
        )
    with pytest.raises(services.InvalidTransition, match="abgeschlossen"):
        services.publish_report(world.coordination, report)
    with pytest.raises(services.InvalidTransition):
        services.close_round(world.coordination, world.reporting_round)
    assert StatusReport.objects.get(pk=report.pk).state == State.APPROVED


def test_a_measure_with_two_leads_can_be_reported_by_each_office(world: World):
    from monitoring.tests.factories import lead
    from plans.tests.factories import PlacementFactory

    lead(PlacementFactory(measure=world.other_measure), world.afs)
    afs_report = services.start_report(
        world.user("editor_of_lead_office"), world.reporting_round, world.other_measure
    )
    slr_report = services.start_report(
        world.user("editor_of_other_office"), world.reporting_round, world.other_measure
    )

    assert {afs_report.organisation, slr_report.organisation} == {world.afs, world.slr}


def test_building_block_leads_may_report_on_the_umbrella_measure(world: World):
    from monitoring import policies
    from monitoring.tests.factories import lead
    from plans.tests.factories import PlacementFactory

    block = PlacementFactory(measure=world.other_measure, parent=world.placement)
    lead(block, world.uwa)
    editor = world.user("participant")  # a UWA role that is not an editor
    assert world.measure not in policies.measures_reportable_by(editor, world.plan)

    from accounts.models import Membership

    Membership.objects.filter(user=editor).update(role=Membership.Role.EDITOR)
    editor.__dict__.pop("_kek_memberships", None)
    assert world.measure in policies.measures_reportable_by(editor, world.plan)


def test_closing_and_reopening_a_round_moves_the_plans_revision_and_tells_the_portal(
    world: World, django_capture_on_commit_callbacks
):
    from plans.models import Plan
    from plans.services import revisions

    heard: list[revisions.PlanChange] = []
    revisions.register_plan_change_listener(heard.append)
    try:
        before = Plan.objects.get(pk=world.plan.pk).revision
        with django_capture_on_commit_callbacks(execute=True):
            services.close_round(world.coordination, world.reporting_round)
        closed = Plan.objects.get(pk=world.plan.pk).revision
        with django_capture_on_commit_callbacks(execute=True):
            services.reopen_round(world.coordination, world.reporting_round, "Nachtrag")
        reopened = Plan.objects.get(pk=world.plan.pk).revision
    finally:
        revisions._plan_change_listeners.remove(heard.append)

    assert before < closed < reopened
    # Pages that show statuses and rounds render anew; the catalogue's pages stay.
    assert [(c.revision, c.catalogue) for c in heard] == [(closed, False), (reopened, False)]
