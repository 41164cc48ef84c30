"""Errors of the API as RFC 9457 problem details (application/problem+json), in German."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem(status: int, title: str, detail: str, **members: Any) -> HttpResponse:
    """A problem detail response: `type` about:blank, a German title (the status, localised)
    and a German detail; extension members (e.g. `errors`) as given."""
    body = {"type": "about:blank", "status": status, "title": title, "detail": detail, **members}
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type=f"{PROBLEM_CONTENT_TYPE}; charset=utf-8",
    )
