"""The OpenAPI schema is valid, and every GET operation keeps to it (schemathesis)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.specs.openapi.checks import positive_data_acceptance

from kekmonitor.wsgi import application
from monitoring.models import StatusReport
from monitoring.tests.factories import World

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
# No NUL characters in generated strings: the API answers them with a German 400 before any
# operation runs (PostgreSQL cannot hold them; test_http.py covers that refusal), which
# schemathesis would count as a schema-valid request rejected.
schema.config.generation.update(allow_x00=False)


def test_the_schema_is_valid_openapi(client: Any) -> None:
    response = client.get("/api/v1/schema/")
    document = response.json()
    assert document["openapi"].startswith("3.1")
    validate(document)
    paths = document["paths"]
    assert "/api/v1/measures/{number}/" in paths
    assert "patch" in paths["/api/v1/reports/{report_id}/"]
    problem = paths["/api/v1/measures/{number}/"]["get"]["responses"]["404"]["content"]
    assert list(problem) == ["application/problem+json"]


@pytest.fixture
def _connection_kept() -> Iterator[None]:
    """Keep the test's database connection across the WSGI requests, as Django's test client
    does: at the end of a request Django closes a connection inside a transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def published_world(world: World, settings: Any, _connection_kept: None) -> World:
    """The small world with one published report, a generous rate limit for the fuzzer."""
    settings.KEK_API_RATE_LIMIT = 100_000
    world.report(StatusReport.State.PUBLISHED)
    return world


@schema.include(method="GET").parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_get_operation_keeps_to_the_schema(case: Any, published_world: World) -> None:
    excluded = []
    if case.operation.path == "/api/v1/measures/":
        # The filters take the values the plan has (as the portal's list): an unknown value
        # is a 400 with the field named, though any string fits the schema.
        excluded.append(positive_data_acceptance)
    case.call_and_validate(excluded_checks=excluded)


def test_the_documentation_runs_from_our_own_static_files(client: Any) -> None:
    response = client.get("/api/v1/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts and all(src.startswith("/static/ninja/") for src in scripts)
    assert "http" not in " ".join(re.findall(r'(?:src|href)="([^"]+)"', html))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy
