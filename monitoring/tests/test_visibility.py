"""Who sees which reports, who may report on which measure, and who may comment."""

from __future__ import annotations

import pytest

from accounts.policies import can_read_internal
from monitoring import policies, services
from monitoring.models import StatusReport
from monitoring.tests.factories import World

State = StatusReport.State


@pytest.fixture
def reports(world: World) -> dict[str, StatusReport]:
    """A draft of AfS, a submitted and a published report of SLR (on two rounds' measures)."""
    afs_draft = world.report(State.DRAFT)
    slr_published = world.report(State.PUBLISHED, measure=world.other_measure)
    return {"afs_draft": afs_draft, "slr_published": slr_published}


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("anonymous", {"slr_published"}),
        ("no_role", {"slr_published"}),
        ("coordination", {"afs_draft", "slr_published"}),
        ("editor_of_lead_office", {"afs_draft", "slr_published"}),
        ("editor_of_other_office", {"slr_published"}),
        ("participant", {"slr_published"}),
        ("reader", {"slr_published"}),
    ],
)
def test_nobody_but_the_office_and_the_coordination_sees_an_office_draft(
    world: World, reports, persona, visible
):
    shown = set(policies.reports_visible_to(world.user(persona), world.plan))

    assert shown == {reports[name] for name in visible}


def test_internal_readers_see_submitted_reports_of_other_offices(world: World):
    submitted = world.report(State.SUBMITTED)

    for persona in ("reader", "participant", "editor_of_other_office"):
        assert submitted in policies.reports_visible_to(world.user(persona), world.plan)
    assert submitted not in policies.reports_visible_to(world.user("anonymous"), world.plan)


def test_deleted_reports_are_not_listed(world: World):
    report = world.report(State.DRAFT)
    services.soft_delete_report(world.coordination, report)

    assert report not in policies.reports_visible_to(world.coordination, world.plan)


@pytest.mark.parametrize(
    ("persona", "numbers"),
    [
        ("anonymous", set()),
        ("no_role", set()),
        ("coordination", {"1-1", "1-2"}),
        ("editor_of_lead_office", {"1-1"}),
        ("editor_of_other_office", {"1-2"}),
        ("participant", set()),
        ("reader", set()),
    ],
)
def test_offices_report_on_the_measures_they_lead(world: World, persona, numbers):
    measures = policies.measures_reportable_by(world.user(persona), world.plan)

    assert {m.number for m in measures} == numbers


@pytest.mark.parametrize(
    ("persona", "can_comment", "can_read"),
    [
        ("anonymous", False, False),
        ("no_role", False, False),
        ("coordination", True, True),
        ("editor_of_lead_office", True, True),
        ("editor_of_other_office", False, True),
        ("participant", True, True),
        ("reader", False, True),
    ],
)
def test_comments_come_from_organisations_that_lead_or_take_part(
    world: World, persona, can_comment, can_read
):
    user = world.user(persona)

    assert policies.can_comment_on_measure(user, world.measure) is can_comment
    assert can_read_internal(user, world.plan) is can_read


def test_a_superuser_acts_as_coordination(world: World, django_user_model):
    admin = django_user_model.objects.create_superuser("chef", password="x" * 20)

    assert policies.can_open_round(admin, world.plan)
    assert policies.can_publish(admin, world.plan)
