"""HTTP behaviour of the API: ETag/Last-Modified with 304, CORS, the rate limit, If-Match."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from monitoring import services
from monitoring.models import StatusReport
from monitoring.tests.factories import World

from .conftest import bearer


def test_an_unchanged_plan_answers_304_and_a_publication_changes_the_etag(
    client: Any, world: World
) -> None:
    first = client.get("/api/v1/measures/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert first.status_code == 200 and etag and modified
    assert client.get("/api/v1/measures/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/api/v1/measures/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    world.report(StatusReport.State.PUBLISHED)  # counts the plan's revision up
    after = client.get("/api/v1/measures/", HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200
    assert after["ETag"] != etag
    assert after.json()["results"][0]["status"]["round"] == "monitoring-2026"


def test_opening_a_round_changes_the_etag_of_the_rounds(client: Any, world: World) -> None:
    etag = client.get("/api/v1/rounds/")["ETag"]
    services.close_round(world.coordination, world.reporting_round)
    assert client.get("/api/v1/rounds/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_reads_allow_every_origin_and_expose_the_validators(client: Any, world: World) -> None:
    response = client.get("/api/v1/plan/", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options("/api/v1/plan/", HTTP_ORIGIN="https://example.org")
    assert preflight.status_code == 204
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    write = client.post("/api/v1/reports/", "{}", content_type="application/json")
    assert "Access-Control-Allow-Origin" not in write


def test_the_rate_limit_answers_429_with_retry_after_in_german(
    client: Any, world: World, settings: Any
) -> None:
    settings.KEK_API_RATE_LIMIT = 3
    statuses = [client.get("/api/v1/plan/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/plan/")
    assert refused["Content-Type"].startswith("application/problem+json")
    assert 1 <= int(refused["Retry-After"]) <= settings.KEK_API_RATE_WINDOW_SECONDS
    assert refused.json()["title"] == "Zu viele Anfragen"
    assert "Höchstens 3 Anfragen" in refused.json()["detail"]
    assert refused["X-RateLimit-Remaining"] == "0"
    # Another client (another address) is counted on its own.
    assert client.get("/api/v1/plan/", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_a_write_with_another_version_is_refused_with_412(
    client: Any, world: World, token_of: Callable[[str], str]
) -> None:
    token = token_of("editor_of_lead_office")
    report = world.report()
    read = client.get(f"/api/v1/reports/{report.pk}/", **bearer(token))
    assert read["ETag"] == f'"{report.version}"'
    body = json.dumps({"summary": "Meine Fassung"})
    stale = f'"{report.version - 1}"'
    response = client.patch(
        f"/api/v1/reports/{report.pk}/",
        body,
        content_type="application/json",
        HTTP_IF_MATCH=stale,
        **bearer(token),
    )
    assert response.status_code == 412
    assert response.json()["title"] == "Vorbedingung nicht erfüllt"
    assert response.json()["version"] == report.version
    report.refresh_from_db()
    assert report.summary == "Erster Stand"
    saved = client.patch(
        f"/api/v1/reports/{report.pk}/",
        body,
        content_type="application/json",
        HTTP_IF_MATCH=read["ETag"],
        **bearer(token),
    )
    assert saved.status_code == 200
    assert saved.json()["summary"] == "Meine Fassung"
    assert saved["ETag"] == f'"{report.version + 1}"'


def test_a_write_without_if_match_is_refused_with_428(
    client: Any, world: World, token_of: Callable[[str], str]
) -> None:
    report = world.report(StatusReport.State.SUBMITTED)
    response = client.post(
        f"/api/v1/reports/{report.pk}/approve/", **bearer(token_of("coordination"))
    )
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    report.refresh_from_db()
    assert report.state == StatusReport.State.SUBMITTED


def test_a_review_with_a_stale_version_changes_nothing(
    client: Any, world: World, token_of: Callable[[str], str]
) -> None:
    report = world.report(StatusReport.State.SUBMITTED)
    response = client.post(
        f"/api/v1/reports/{report.pk}/approve/",
        HTTP_IF_MATCH=f'"{report.version + 5}"',
        **bearer(token_of("coordination")),
    )
    assert response.status_code == 412
    report.refresh_from_db()
    assert report.state == StatusReport.State.SUBMITTED


def test_refusals_of_the_services_are_german_problem_details(
    client: Any, world: World, token_of: Callable[[str], str]
) -> None:
    report = world.report(StatusReport.State.PUBLISHED)
    token = token_of("coordination")
    approve = client.post(
        f"/api/v1/reports/{report.pk}/approve/",
        HTTP_IF_MATCH=f'"{report.version}"',
        **bearer(token),
    )
    assert approve.status_code == 409
    assert approve.json()["title"] == "Konflikt"
    assert "veröffentlicht" in approve.json()["detail"]
    draft = world.report(measure=world.other_measure)
    bad = client.patch(
        f"/api/v1/reports/{draft.pk}/",
        json.dumps({"status": "gibt-es-nicht"}),
        content_type="application/json",
        HTTP_IF_MATCH=f'"{draft.version}"',
        **bearer(token),
    )
    assert bad.status_code == 422
    assert bad.json()["errors"]["status"] == ["Unbekannter Status gibt-es-nicht."]


def test_a_nul_character_in_the_address_is_a_bad_request(client: Any, world: World) -> None:
    for url in ("/api/v1/measures/1-1%00/", "/api/v1/measures/?feld=%00"):
        response = client.get(url)
        assert response.status_code == 400
        assert response.json()["detail"] == "Die Adresse enthält ein NUL-Zeichen."


def test_head_answers_like_get_without_a_body(client: Any, world: World) -> None:
    get = client.get("/api/v1/measures/1-1/")
    head = client.head("/api/v1/measures/1-1/")
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
    assert client.head("/api/v1/measures/1-1/", HTTP_IF_NONE_MATCH=get["ETag"]).status_code == 304


def test_a_report_is_validated_by_its_version_not_by_the_plan(client: Any, world: World) -> None:
    report = world.report(StatusReport.State.PUBLISHED)
    url = f"/api/v1/reports/{report.pk}/"
    plan_etag = client.get("/api/v1/measures/")["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=plan_etag).status_code == 200
    own = client.get(url)["ETag"]
    assert own == f'"{report.version}"'
    assert client.get(url, HTTP_IF_NONE_MATCH=own).status_code == 304
