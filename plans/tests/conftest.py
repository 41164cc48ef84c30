"""Fixtures of the catalogue's tests: factories and hand-built parsed plans."""

from __future__ import annotations

from pathlib import Path

import pytest

from plans.importers.structure import ParsedPlan
from plans.tests import factories
from plans.tests.parsed_plans import small_plan


@pytest.fixture
def plan_factory() -> type[factories.PlanFactory]:
    """Factory of plans."""
    return factories.PlanFactory


@pytest.fixture
def node_factory() -> type[factories.NodeFactory]:
    """Factory of hierarchy nodes."""
    return factories.NodeFactory


@pytest.fixture
def organisation_factory() -> type[factories.OrganisationFactory]:
    """Factory of organisations."""
    return factories.OrganisationFactory


@pytest.fixture
def key_project_factory() -> type[factories.KeyProjectFactory]:
    """Factory of key projects."""
    return factories.KeyProjectFactory


@pytest.fixture
def measure_factory() -> type[factories.MeasureFactory]:
    """Factory of measures."""
    return factories.MeasureFactory


@pytest.fixture
def placement_factory() -> type[factories.PlacementFactory]:
    """Factory of placements."""
    return factories.PlacementFactory


@pytest.fixture
def step_factory() -> type[factories.StepFactory]:
    """Factory of steps."""
    return factories.StepFactory


@pytest.fixture
def parsed_plan() -> ParsedPlan:
    """A small hand-built plan: two fields, four measures, six placements."""
    return small_plan()


@pytest.fixture
def var_dir(tmp_path: Path, settings: pytest.FixtureRequest) -> Path:
    """Keep var/ of the test in a temporary directory."""
    directory = tmp_path / "var"
    settings.VAR_DIR = directory  # type: ignore[attr-defined]
    return directory
