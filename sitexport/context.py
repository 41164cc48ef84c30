"""Context processor: tells the templates that a page is rendered for the static site."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

# WSGI environ keys without the HTTP_ prefix cannot come from a visitor's request headers:
# only the exporter, calling the views in-process with the test client, sets them.
STATIC_SITE_KEY = "kek.static_site"
INDEXED_KEY = "kek.static_site_indexed"


def static_site(request: HttpRequest) -> dict[str, Any]:
    """`static_site` (the page goes into the static export) and `static_site_indexed` (the
    static search indexes it; not the filtered and paged variants of a page)."""
    exported = bool(request.META.get(STATIC_SITE_KEY))
    return {
        "static_site": exported,
        "static_site_indexed": exported and bool(request.META.get(INDEXED_KEY)),
    }
