"""The municipality editor: acts for one Gemeinde (an organisation with an AGS)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts import policies
from accounts.models import Membership
from monitoring.tests.factories import MembershipFactory, UserFactory
from plans.models import Organisation
from plans.tests.factories import OrganisationFactory, PlanFactory

pytestmark = pytest.mark.django_db
Role = Membership.Role
GRIMMA, BORNA = "14729160", "14729050"


@pytest.fixture
def plan():
    return PlanFactory(slug="kek-test")


def gemeinde(plan, name: str, ags: str) -> Organisation:
    return OrganisationFactory(
        plan=plan, abbreviation=name, kind=Organisation.Kind.MUNICIPALITY, ags=ags
    )


def test_a_municipality_editor_maintains_only_its_own_gemeinde(plan):
    user = UserFactory()
    MembershipFactory(
        user=user,
        plan=plan,
        role=Role.MUNICIPALITY_EDITOR,
        organisation=gemeinde(plan, "Grimma", GRIMMA),
    )

    assert policies.municipality_ags(user, plan) == GRIMMA
    assert policies.can_maintain_municipality_data(user, plan, GRIMMA)
    assert not policies.can_maintain_municipality_data(user, plan, BORNA)
    assert not policies.is_coordination(user, plan)
    assert not policies.can_use_back_office(user)


def test_the_coordination_maintains_every_gemeinde_and_others_none(plan):
    coordination, reader = UserFactory(), UserFactory()
    MembershipFactory(user=coordination, plan=plan, role=Role.COORDINATION)
    MembershipFactory(user=reader, plan=plan, role=Role.READER)
    editor = UserFactory()
    MembershipFactory(
        user=editor, plan=plan, role=Role.EDITOR, organisation=OrganisationFactory(plan=plan)
    )

    assert policies.can_maintain_municipality_data(coordination, plan, BORNA)
    assert not policies.can_maintain_municipality_data(reader, plan, BORNA)
    assert not policies.can_maintain_municipality_data(editor, plan, BORNA)
    assert policies.municipality_ags(editor, plan) is None


def test_a_municipality_editor_needs_an_organisation_with_an_ags(plan):
    office = OrganisationFactory(plan=plan, abbreviation="AfS")
    membership = Membership(
        user=UserFactory(), plan=plan, role=Role.MUNICIPALITY_EDITOR, organisation=office
    )

    with pytest.raises(ValidationError, match="AGS"):
        membership.full_clean()
    with pytest.raises(ValidationError):
        Membership(user=UserFactory(), plan=plan, role=Role.MUNICIPALITY_EDITOR).full_clean()


def test_an_organisation_ags_has_eight_digits(plan):
    organisation = OrganisationFactory.build(plan=plan, abbreviation="X", ags="1472916")

    with pytest.raises(ValidationError, match="Acht Ziffern"):
        organisation.full_clean()
