"""The API and the public measure page show the same status for every measure of KEK 2030."""

from __future__ import annotations

import re
from typing import Any

from plans.models import Measure
from portal.tests.test_status_agreement import two_rounds  # noqa: F401 – the shared fixture


def _api_statuses(client: Any) -> dict[str, dict[str, Any] | None]:
    """Number → status from every page of /api/v1/statuses/."""
    found: dict[str, dict[str, Any] | None] = {}
    url: str | None = "/api/v1/statuses/?page_size=200"
    while url:
        page = client.get(url).json()
        found.update({row["measure"]: row["status"] for row in page["results"]})
        url = page["next"]
    return found


def test_the_api_and_every_measure_page_agree(
    client: Any,
    two_rounds: dict[str, Any],  # noqa: F811
    settings: Any,
) -> None:
    settings.KEK_API_RATE_LIMIT = 10_000  # one request per measure and more
    measures: list[Measure] = two_rounds["measures"]
    statuses = _api_statuses(client)
    assert set(statuses) == {m.number for m in measures}
    rounds = {s["round_name"] for s in statuses.values() if s}
    assert rounds == {"Monitoring 2025", "Monitoring 2026"}  # both cases are present
    assert sum(s is None for s in statuses.values()) > 10
    for measure in measures:
        status = statuses[measure.number]
        page = client.get(f"/massnahmen/{measure.number}/").content.decode()
        detail = client.get(f"/api/v1/measures/{measure.number}/").json()
        assert detail["status"] == status, measure.number
        if status is None:
            assert "Für diese Maßnahme wurde noch kein Sachstand veröffentlicht." in page
            assert "portal-current-status" not in page, measure.number
        else:
            shown = re.search(r'portal-current-status">\s*<span[^>]*><span[^>]*>([^<]+)<', page)
            assert shown and shown[1] == status["label"], measure.number
            assert f"Stand: {status['round_name']} (Stichtag" in page, measure.number


def test_the_status_filter_of_the_api_finds_what_the_statuses_say(
    client: Any,
    two_rounds: dict[str, Any],  # noqa: F811
) -> None:
    statuses = _api_statuses(client)
    for option in two_rounds["statuses"]:
        found = client.get(f"/api/v1/measures/?status={option.key}&page_size=200").json()
        numbers = {row["number"] for row in found["results"]}
        expected = {n for n, s in statuses.items() if s and s["key"] == option.key}
        assert numbers == expected, option.key
