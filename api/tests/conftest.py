"""Fixtures of the API tests: the small world of the monitoring tests as the current plan,
and tokens for its personas."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from api.models import ApiToken
from api.tokens import create_token, hash_token
from monitoring.tests.factories import World, build_world


@pytest.fixture
def world(db: Any, settings: Any) -> World:
    """Plan `kek-test` (the current plan), three offices, two measures, personas, a round."""
    built = build_world()
    settings.KEK_PLAN_SLUG = built.plan.slug
    return built


@pytest.fixture
def token_of(world: World) -> Callable[[str], str]:
    """A fresh API token of a persona (None for the anonymous one)."""

    def make(persona: str) -> str:
        user = world.user(persona)
        if persona == "no_role":
            # A user without a role cannot create a token: one whose role was taken away later.
            plain = "kek_ohne-rolle-" + "x" * 30
            ApiToken.objects.create(
                user=user,
                name="alt",
                prefix=plain[:12],
                token_hash=hash_token(plain),
                expires_at=timezone.now() + datetime.timedelta(days=1),
            )
            return plain
        _token, plain = create_token(user, world.plan, f"Test {persona}", 30)
        return plain

    return make


def bearer(token: str | None) -> dict[str, str]:
    """The header of a token, none without one."""
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
