"""The frozen round on the pages: a round reopened and closed again shows when it was amended."""

from __future__ import annotations

import html
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from monitoring import services
from monitoring.models import StatusReport
from monitoring.tests.factories import World
from monitoring.tests.test_public_status import publish

State = StatusReport.State


def test_the_public_measure_page_says_when_its_round_was_amended(
    client: Any, world: World, settings: Any
) -> None:
    settings.KEK_PLAN_SLUG = world.plan.slug
    reporting_round = world.reporting_round
    publish(world, world.report(State.DRAFT))
    services.close_round(world.coordination, reporting_round)
    cache.clear()
    before = html.unescape(client.get(f"/massnahmen/{world.measure.number}/").content.decode())

    services.reopen_round(world.coordination, reporting_round, "Tippfehler im Sachstand")
    services.close_round(world.coordination, reporting_round)
    cache.clear()
    after = html.unescape(client.get(f"/massnahmen/{world.measure.number}/").content.decode())

    amended = timezone.localtime(reporting_round.closed_at)
    assert "geändert" not in before
    assert f"(geändert am {amended:%d.%m.%Y})" in after  # the table of rounds
    assert "Die Runde wurde nach dem Abschluss geändert (am " in after


def test_the_round_list_shows_when_a_round_was_closed(staff_client: Any, world: World) -> None:
    services.close_round(world.coordination, world.reporting_round)

    page = staff_client("coordination").get("/intern/runden/").content.decode()

    closed = timezone.localtime(world.reporting_round.closed_at)
    assert f"abgeschlossen am {closed:%d.%m.%Y}" in page
    assert "geändert am" not in page
