"""Open data: downloads of the catalogue and DCAT-AP.de metadata."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def overview(request: HttpRequest) -> HttpResponse:
    """Placeholder until the open-data pages land."""
    raise Http404


dcat = overview
download = overview
