"""Rounds are named in URLs and commands by their slug; `latest` is the newest closed round."""

from __future__ import annotations

import datetime

from monitoring import services
from monitoring.models import ReportingRound
from monitoring.tests.factories import World


def test_a_round_is_found_by_the_slug_of_its_name(world: World) -> None:
    assert world.reporting_round is not None
    assert world.reporting_round.slug == "monitoring-2026"
    rounds = ReportingRound.objects.filter(plan=world.plan)
    assert rounds.by_slug("monitoring-2026") == world.reporting_round
    assert rounds.by_slug("monitoring-2027") is None


def test_latest_is_the_newest_closed_round_not_an_open_one(world: World) -> None:
    first = world.reporting_round
    assert first is not None
    rounds = ReportingRound.objects.filter(plan=world.plan)
    assert rounds.by_slug("latest") is None  # nothing closed yet
    services.close_round(world.coordination, first)
    services.open_round(
        world.coordination,
        world.plan,
        "Monitoring 2027",
        datetime.date(2027, 6, 30),
        datetime.date(2027, 9, 30),
    )
    assert rounds.by_slug("latest") == first
