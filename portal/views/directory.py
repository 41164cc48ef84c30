"""Organisations ("Wer macht was"), key projects and the interlinking of the fields."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def organisation_list(request: HttpRequest) -> HttpResponse:
    """Placeholder until the directory pages land."""
    raise Http404


organisation = organisation_list
key_project_list = organisation_list
key_project = organisation_list
interlinks = organisation_list
