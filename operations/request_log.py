"""Logs as JSON lines in production: one line per request with its id, user id and timing.

No personal data: the user appears by id only (never the name), the client address and the
query string (search terms, tokens) are not logged, and gunicorn's access log is off in
production (`kek serve`). Every log record written during a request carries its request id,
taken from the proxy's X-Request-ID (nginx: `$request_id`) or made up, and sent back.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse

from operations.health import HEALTH_PATH

logger = logging.getLogger("kek.request")
REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
_current: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "kek_request", default=None
)
# Fields of a record that go into the JSON line besides time, level, logger and message.
FIELDS = ("request_id", "user_id", "method", "path", "status", "duration_ms")


class RequestLogMiddleware:
    """Give each request an id, and log method, path, status, user id and duration."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        context: dict[str, Any] = {
            "request_id": given if REQUEST_ID.match(given) else uuid.uuid4().hex,
            "user_id": None,
        }
        token = _current.set(context)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                context["user_id"] = user.pk
            level = logging.DEBUG if request.path_info == HEALTH_PATH else logging.INFO
            logger.log(
                level,
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            response["X-Request-ID"] = context["request_id"]
            return response
        finally:
            _current.reset(token)


class RequestContextFilter(logging.Filter):
    """Add the current request's id and user id to every record (None outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _current.get() or {}
        for name in ("request_id", "user_id"):
            if not hasattr(record, name):
                setattr(record, name, context.get(name))
        return True


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the request fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
