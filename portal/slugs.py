"""URL slugs of key projects: "SV I.2" → "sv-i-2"; pages look a code up by the same function."""

from __future__ import annotations

import re

_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def key_project_slug(code: str) -> str:
    """The slug of a key project code: lowercased, runs of other characters become "-"."""
    return _NOT_ALPHANUMERIC.sub("-", code.lower()).strip("-")
