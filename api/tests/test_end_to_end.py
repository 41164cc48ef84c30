"""A token-authenticated office reports through the API; the coordination publishes it through
the API; the public measure page shows it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from monitoring.models import Event, StatusReport
from monitoring.tests.factories import World

from .conftest import bearer


def _call(client: Any, method: str, url: str, token: str, etag: str | None, body: Any) -> Any:
    headers = {**bearer(token), **({"HTTP_IF_MATCH": etag} if etag else {})}
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json", **headers
    )


def test_an_office_submits_and_the_coordination_publishes_through_the_api(
    client: Any, world: World, token_of: Callable[[str], str]
) -> None:
    office = token_of("editor_of_lead_office")
    coordination = token_of("coordination")
    before = client.get(f"/massnahmen/{world.measure.number}/").content.decode()
    assert "Für diese Maßnahme wurde noch kein Sachstand veröffentlicht." in before

    started = _call(
        client, "post", "/api/v1/reports/", office, None,
        {"round": "monitoring-2026", "measure": world.measure.number},
    )  # fmt: skip
    assert started.status_code == 201, started.content
    report = started.json()
    assert (report["organisation"], report["state"]) == ("AfS", "draft")
    url = report["url"].removeprefix("http://testserver")

    saved = _call(
        client, "patch", url, office, started["ETag"],
        {"status": "in_progress", "progress": 60, "summary": "Radweg Grimma fertig"},
    )  # fmt: skip
    assert saved.status_code == 200, saved.content
    submitted = _call(client, "post", f"{url}submit/", office, saved["ETag"], {})
    assert submitted.json()["state"] == "submitted"
    # The office cannot publish its own report.
    refused = _call(client, "post", f"{url}publish/", office, submitted["ETag"], {})
    assert refused.status_code == 403

    approved = _call(client, "post", f"{url}approve/", coordination, submitted["ETag"], {})
    assert approved.json()["state"] == "approved"
    published = _call(client, "post", f"{url}publish/", coordination, approved["ETag"], {})
    assert published.status_code == 200
    assert published.json()["state"] == "published"

    stored = StatusReport.objects.get(pk=report["id"])
    assert stored.state == StatusReport.State.PUBLISHED
    assert stored.author == world.user("editor_of_lead_office")
    kinds = list(Event.objects.filter(report=stored).values_list("kind", flat=True))
    assert {"report_submitted", "report_approved", "report_published"} <= set(kinds)

    page = client.get(f"/massnahmen/{world.measure.number}/").content.decode()
    assert "Radweg Grimma fertig" in page
    assert "Stand: Monitoring 2026 (Stichtag" in page
    public = client.get(f"/api/v1/measures/{world.measure.number}/").json()
    assert public["status"]["key"] == "in_progress"
    assert public["status"]["progress"] == 60
    # Anyone reads the published report, without a token.
    assert client.get(url).json()["summary"] == "Radweg Grimma fertig"
