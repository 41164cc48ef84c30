"""What the public measure page says about a published report, in German."""

from __future__ import annotations

from typing import Any

from monitoring.models import StatusReport
from monitoring.tests.factories import World


def test_the_public_measure_page_states_the_progress_in_german(
    staff_client: Any, world: World
) -> None:
    world.report(StatusReport.State.PUBLISHED)  # progress 10
    page = staff_client("anonymous").get("/massnahmen/1-1/").content.decode()
    assert "zu 10 % umgesetzt" in page
    assert "done" not in page
