"""Fixtures of monitoring's tests."""

from __future__ import annotations

from typing import Any

import pytest

from monitoring.tests.factories import World, build_world


@pytest.fixture
def world(db: Any) -> World:
    """A small plan with offices, measures, every persona and an open reporting round."""
    return build_world()


@pytest.fixture
def staff_client(client: Any, world: World, settings: Any) -> Any:
    """Return a function giving the test client signed in as a persona of the world.

    The staff area works on the portal's plan: point it at the world's plan.
    """
    settings.KEK_PLAN_SLUG = world.plan.slug

    def sign_in(persona: str) -> Any:
        client.logout()
        if persona != "anonymous":
            client.force_login(world.user(persona))
        return client

    return sign_in
