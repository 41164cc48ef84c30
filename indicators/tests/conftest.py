"""Fixtures of the indicators' tests: a small plan, the shipped Gemeinden, value files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from accounts.models import Membership
from indicators.importers.municipalities import parse_boundaries
from indicators.models import COUNTY_AGS
from indicators.services import ensure_default_registers, load_municipalities
from indicators.tests.register_data import GRIMMA
from monitoring.tests.factories import MembershipFactory, UserFactory
from plans.models import Organisation, Plan
from plans.tests.factories import MeasureFactory, NodeFactory, OrganisationFactory, PlanFactory

Role = Membership.Role

BOUNDARIES = settings.BASE_DIR / "data" / "landkreis-leipzig" / "gemeinden.geojson"


@pytest.fixture
def plan(db: Any, settings: Any) -> Plan:
    """The portal's plan: Leitziel 1.2 with Teilziel 1.2.1, measures 1-1 and 2-84."""
    plan = PlanFactory(slug="kek-test", title="KEK Test")
    settings.KEK_PLAN_SLUG = plan.slug
    field = NodeFactory(plan=plan, level=1, key="1", code="1", label="Wirtschaft", order=1)
    goal = NodeFactory(
        plan=plan, level=2, key="1.2", code="1.2", label="Perspektiven", parent=field, order=2
    )
    NodeFactory(
        plan=plan, level=3, key="1.2/1", code="1.2.1", label="Fachkräfte", parent=goal, order=3
    )
    MeasureFactory(plan=plan, number="1-1", title="Gewerbeflächen in Grimma entwickeln")
    MeasureFactory(plan=plan, number="2-84", home_field=2, title="Monitoringsystem")
    return plan


@pytest.fixture
def municipalities(plan: Plan) -> Plan:
    """The 30 shipped Gemeinden loaded into the plan (with population and density)."""
    boundaries = parse_boundaries(BOUNDARIES.read_text(encoding="utf-8"), COUNTY_AGS)
    load_municipalities(plan, boundaries, BOUNDARIES.name)
    return plan


@pytest.fixture
def write_file(tmp_path: Path):
    """Write bytes (or text in an encoding) to a file and return its path."""

    def write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return write


@pytest.fixture
def registers(municipalities: Plan) -> Plan:
    """The plan with the Gemeinden and the three default registers."""
    ensure_default_registers(municipalities)
    return municipalities


@pytest.fixture
def people(registers: Plan) -> dict[str, Any]:
    """Users of every kind: coordination, VA (a lead office), UWA, Grimma's editor, reader."""
    plan = registers
    kind = Organisation.Kind.MUNICIPALITY
    organisations = {
        "va_editor": (Role.EDITOR, OrganisationFactory(plan=plan, abbreviation="VA")),
        "other_office": (Role.EDITOR, OrganisationFactory(plan=plan, abbreviation="UWA")),
        "grimma_editor": (
            Role.MUNICIPALITY_EDITOR,
            OrganisationFactory(plan=plan, abbreviation="Grimma", kind=kind, ags=GRIMMA),
        ),
        "coordination": (Role.COORDINATION, None),
        "reader": (Role.READER, None),
    }
    users: dict[str, Any] = {}
    for name, (role, organisation) in organisations.items():
        users[name] = UserFactory(username=name)
        MembershipFactory(user=users[name], plan=plan, role=role, organisation=organisation)
    return users
