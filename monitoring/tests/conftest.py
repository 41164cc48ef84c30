"""Fixtures of monitoring's tests."""

from __future__ import annotations

from typing import Any

import pytest

from monitoring.tests.factories import World, build_world


@pytest.fixture
def world(db: Any) -> World:
    """A small plan with offices, measures, every persona and an open reporting round."""
    return build_world()
