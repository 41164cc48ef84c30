"""While the database is down, pages answer 503 with Retry-After and /healthz says so."""

from __future__ import annotations

import json
from typing import Any, NoReturn

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client


@pytest.fixture
def database_down(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every query fails as with a stopped PostgreSQL server (connection refused)."""

    def refuse(self: BaseDatabaseWrapper, *args: Any, **kwargs: Any) -> NoReturn:
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)


def test_a_page_answers_503_with_retry_after_and_a_german_page(database_down: None) -> None:
    response = Client(raise_request_exception=False).get("/massnahmen/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert '<html lang="de">' in page
    assert "vorübergehend nicht erreichbar" in page


def test_other_server_errors_stay_500(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(self: BaseDatabaseWrapper, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", fail)
    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", fail)
    response = Client(raise_request_exception=False).get("/massnahmen/")

    assert response.status_code == 500
    assert "Retry-After" not in response


def test_healthz_reports_the_database_as_down(database_down: None) -> None:
    response = Client().get("/healthz")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert json.loads(response.content) == {"status": "error", "database": "unavailable"}


@pytest.mark.django_db
def test_healthz_reports_the_database_as_reachable(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_answers_plain_http_in_production_for_any_host(
    client: Client, settings: Any
) -> None:
    """A load balancer checks http://ADDRESS/healthz without X-Forwarded-Proto or the host name."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["kek.landkreisleipzig.example"]

    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")

    assert response.status_code == 200
    assert json.loads(response.content)["database"] == "ok"
    # Every other page is still redirected to https.
    other = client.get("/massnahmen/", HTTP_HOST="kek.landkreisleipzig.example")
    assert other.status_code == 301
    assert other["Location"].startswith("https://")


def test_healthz_refuses_writes(client: Client) -> None:
    assert client.post("/healthz").status_code == 405
