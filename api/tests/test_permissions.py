"""Every write endpoint × every persona: what the monitoring policies allow, and nothing more."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from monitoring.models import StatusReport
from monitoring.tests.factories import PERSONAS, World

from .conftest import bearer

State = StatusReport.State

# persona → expected status, per endpoint. 404: the persona may not even read the report.
START = {
    "anonymous": 401,
    "no_role": 403,
    "coordination": 201,
    "editor_of_lead_office": 201,
    "editor_of_other_office": 403,
    "participant": 403,
    "reader": 403,
    "municipality_editor": 403,
}
ON_DRAFT = {
    "anonymous": 401,
    "no_role": 404,
    "coordination": 200,
    "editor_of_lead_office": 200,
    "editor_of_other_office": 404,
    "participant": 404,
    "reader": 404,
    "municipality_editor": 404,
}
REVIEW = {
    "anonymous": 401,
    "no_role": 404,
    "coordination": 200,
    "editor_of_lead_office": 403,
    "editor_of_other_office": 403,
    "participant": 403,
    "reader": 403,
    "municipality_editor": 403,
}
# endpoint → (state of the report before, method, path after /reports/<id>, body, expected)
ENDPOINTS: dict[str, tuple[State, str, str, dict[str, Any], dict[str, int]]] = {
    "save": (State.DRAFT, "patch", "", {"progress": 40, "summary": "Neuer Stand"}, ON_DRAFT),
    "submit": (State.DRAFT, "post", "submit/", {}, ON_DRAFT),
    "return": (State.SUBMITTED, "post", "return/", {"comment": "Bitte ergänzen"}, REVIEW),
    "approve": (State.SUBMITTED, "post", "approve/", {}, REVIEW),
    "publish": (State.APPROVED, "post", "publish/", {}, REVIEW),
}
AFTER = {
    "save": State.DRAFT,
    "submit": State.SUBMITTED,
    "return": State.RETURNED,
    "approve": State.APPROVED,
    "publish": State.PUBLISHED,
}


def _token(token_of: Callable[[str], str], persona: str) -> str | None:
    return None if persona == "anonymous" else token_of(persona)


@pytest.mark.parametrize("persona", PERSONAS)
def test_starting_a_report_follows_the_policy(
    client: Any, world: World, token_of: Callable[[str], str], persona: str
) -> None:
    response = client.post(
        "/api/v1/reports/",
        json.dumps({"round": "monitoring-2026", "measure": "1-1", "organisation": "AfS"}),
        content_type="application/json",
        **bearer(_token(token_of, persona)),
    )
    assert response.status_code == START[persona], response.content
    created = StatusReport.objects.filter(measure=world.measure, organisation=world.afs)
    assert created.exists() == (START[persona] == 201)
    if response.status_code >= 400:
        assert response["Content-Type"].startswith("application/problem+json")
        assert response.json()["status"] == START[persona]


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_write_endpoint_follows_the_policy(
    client: Any, world: World, token_of: Callable[[str], str], persona: str, endpoint: str
) -> None:
    state, method, suffix, body, expected = ENDPOINTS[endpoint]
    report = world.report(state)
    response = getattr(client, method)(
        f"/api/v1/reports/{report.pk}/{suffix}",
        json.dumps(body),
        content_type="application/json",
        HTTP_IF_MATCH=f'"{report.version}"',
        **bearer(_token(token_of, persona)),
    )
    assert response.status_code == expected[persona], (persona, response.content)
    report.refresh_from_db()
    if expected[persona] == 200:
        assert report.state == AFTER[endpoint]
        assert response["ETag"] == f'"{report.version}"'
        assert response.json()["state"] == report.state
    else:
        assert report.state == state  # nothing changed
        problem = response.json()
        assert problem["status"] == expected[persona]
        assert problem["title"] and problem["detail"]
