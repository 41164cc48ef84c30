"""The health check and the answer while the database is unreachable."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

HEALTH_PATH = "/healthz"
# How long a client should wait before it tries again while the database is down.
RETRY_AFTER_SECONDS = 30
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def database_is_reachable() -> bool:
    """True if every configured database answers a trivial query."""
    try:
        for connection in connections.all():
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
    except DATABASE_UNAVAILABLE:
        return False
    return True


def health_response(request: HttpRequest) -> HttpResponse:
    """Answer the health check as JSON: 200 if the database answers, else 503."""
    if request.method not in {"GET", "HEAD"}:
        response = HttpResponse(status=405)
        response["Allow"] = "GET, HEAD"
        return response
    reachable = database_is_reachable()
    body = (
        {"status": "ok", "database": "ok"}
        if reachable
        else {
            "status": "error",
            "database": "unavailable",
        }
    )
    response = HttpResponse(json.dumps(body), content_type="application/json", status=200)
    if not reachable:
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answer /healthz first: before the host check and the https redirect of production.

    A load balancer probes http://ADDRESS/healthz, with neither the public host name nor
    X-Forwarded-Proto; the answer reveals nothing but whether the database is reachable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTH_PATH:
            return health_response(request)
        return self.get_response(request)


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """The 500 handler: 503 with Retry-After and a German page when the database is down."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        # Rendered without the request: context processors could query the database.
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return defaults.server_error(request, template_name)
