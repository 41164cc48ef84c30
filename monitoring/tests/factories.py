"""factory_boy factories of users, memberships and a small monitored plan."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from accounts.models import Membership
from monitoring import services
from monitoring.models import ReportingRound, StatusReport
from plans.models import Measure, Organisation, Placement, PlacementLead, PlacementParticipant, Plan
from plans.tests.factories import (
    MeasureFactory,
    OrganisationFactory,
    PlacementFactory,
    PlanFactory,
    StepFactory,
)

Role = Membership.Role


class UserFactory(factory.django.DjangoModelFactory):
    """A signed-up user without any role."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    """A role of a user in a plan."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    plan = factory.SubFactory(PlanFactory)
    role = Role.READER


def lead(placement: Placement, *organisations: Organisation) -> None:
    """Print the organisations as lead of the placement, in order."""
    for position, organisation in enumerate(organisations):
        PlacementLead.objects.create(
            placement=placement, organisation=organisation, position=position
        )


def participant(placement: Placement, *organisations: Organisation) -> None:
    """Print the organisations as participants of the placement, in order."""
    for position, organisation in enumerate(organisations):
        PlacementParticipant.objects.create(
            placement=placement, organisation=organisation, position=position
        )


# The personas of the permission tests.
PERSONAS = (
    "anonymous",
    "no_role",
    "coordination",
    "editor_of_lead_office",
    "editor_of_other_office",
    "participant",
    "reader",
    "municipality_editor",
)


@dataclass
class World:
    """A plan with three offices, two measures, users for every persona and an open round."""

    plan: Plan
    afs: Organisation
    slr: Organisation
    uwa: Organisation
    measure: Measure  # led by AfS, UWA takes part
    other_measure: Measure  # led by SLR
    placement: Placement
    users: dict[str, Any] = field(default_factory=dict)
    reporting_round: ReportingRound | None = None

    def user(self, persona: str) -> Any:
        """The user object of a persona."""
        return self.users[persona]

    @property
    def coordination(self) -> Any:
        return self.users["coordination"]

    def report(
        self, state: StatusReport.State = StatusReport.State.DRAFT, measure: Measure | None = None
    ) -> StatusReport:
        """A report of the lead office, brought into `state` by the coordination."""
        assert self.reporting_round is not None
        measure = measure or self.measure
        organisation = self.afs if measure == self.measure else self.slr
        report = services.start_report(
            self.coordination, self.reporting_round, measure, organisation
        )
        services.save_report(
            self.coordination,
            report,
            {"progress": 10, "summary": "Erster Stand"},
            report.version,
        )
        path = {
            StatusReport.State.DRAFT: [],
            StatusReport.State.SUBMITTED: ["submit"],
            StatusReport.State.RETURNED: ["submit", "return"],
            StatusReport.State.APPROVED: ["submit", "approve"],
            StatusReport.State.PUBLISHED: ["submit", "approve", "publish"],
        }[state]
        for action in path:
            if action == "submit":
                services.submit_report(self.coordination, report)
            elif action == "return":
                services.return_report(self.coordination, report, "Bitte ergänzen.")
            elif action == "approve":
                services.approve_report(self.coordination, report)
            else:
                services.publish_report(self.coordination, report)
        return StatusReport.objects.get(pk=report.pk)


def build_world() -> World:
    """Create the plan, offices, measures, personas and an open round."""
    plan = PlanFactory(slug="kek-test")
    afs = OrganisationFactory(plan=plan, abbreviation="AfS")
    slr = OrganisationFactory(plan=plan, abbreviation="SLR")
    uwa = OrganisationFactory(plan=plan, abbreviation="UWA")
    grimma = OrganisationFactory(
        plan=plan, abbreviation="Grimma", kind=Organisation.Kind.MUNICIPALITY, ags="14729160"
    )
    measure = MeasureFactory(plan=plan, number="1-1", title="Radwegenetz ausbauen")
    other_measure = MeasureFactory(plan=plan, number="1-2", title="Standortmarketing")
    placement = PlacementFactory(measure=measure)
    lead(placement, afs)
    participant(placement, uwa)
    StepFactory(placement=placement, text="Konzept erstellen")
    lead(PlacementFactory(measure=other_measure), slr)
    world = World(
        plan=plan,
        afs=afs,
        slr=slr,
        uwa=uwa,
        measure=measure,
        other_measure=other_measure,
        placement=placement,
    )
    memberships = {
        "coordination": (Role.COORDINATION, None),
        "editor_of_lead_office": (Role.EDITOR, afs),
        "editor_of_other_office": (Role.EDITOR, slr),
        "participant": (Role.PARTICIPANT, uwa),
        "reader": (Role.READER, None),
        "municipality_editor": (Role.MUNICIPALITY_EDITOR, grimma),
    }
    world.users["anonymous"] = AnonymousUser()
    world.users["no_role"] = UserFactory(username="ohne-rolle")
    for persona, (role, organisation) in memberships.items():
        user = UserFactory(username=persona)
        MembershipFactory(user=user, plan=plan, role=role, organisation=organisation)
        world.users[persona] = user
    world.reporting_round = services.open_round(
        world.coordination,
        plan,
        "Monitoring 2026",
        datetime.date(2026, 6, 30),
        datetime.date(2026, 9, 30),
    )
    return world


def build_world_keeping_results(settings: Any) -> World:
    """build_world with a fresh, empty local-memory cache of its own, where `plans.kept`
    keeps its results: nothing an earlier test kept under the same revision is found."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()
    return build_world()
