"""Open data: downloads of the catalogue and DCAT-AP.de metadata."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from plans.exporters import PLACEMENT_COLUMNS, render_json
from plans.models import Plan
from portal import dcat as dcat_graph
from portal import download_store
from portal.caching import public_page
from portal.open_data_files import REPORT_COLUMNS, XLSX_TYPE, Download, downloads
from portal.open_data_rows import MEASURE_COLUMNS

__all__ = ["XLSX_TYPE", "Download", "downloads"]  # where they were defined before


def column_descriptions(plan: Plan) -> list[tuple[str, str]]:
    """Each column of the measure files with its meaning, in file order."""
    levels = {"field": plan.level_name(1), "goal": plan.level_name(2)}
    levels |= {"subgoal": plan.level_name(3), "approach": plan.level_name(4)}
    meanings = {
        "number": _("Number of the measure, e.g. “2-84”; the first digit is its home %(field)s"),
        "field": _("Number of the %(field)s whose table contains the row"),
        "goal": _("Code of the %(goal)s the row stands under, e.g. “1.3”"),
        "subgoal": _("%(subgoal)s as printed in the table"),
        "approach": _("%(approach)s as printed in the table"),
        "lead": _("Contact (leading organisation) as printed"),
        "participants": _("Participants as printed"),
        "priority": _("Priority as printed, from + to +++"),
        "key_projects": _("Key projects named in the number cell, separated by “;”"),
        "commission": _("1 if marked with * (from the commission report), otherwise 0"),
        "line": _("Line of the row in the text of the document"),
    }
    return [(column, meanings[column] % levels) for column in PLACEMENT_COLUMNS]


def status_column_descriptions(plan: Plan) -> list[tuple[str, str]]:
    """Each column of the status files with its meaning, in file order."""
    meanings = {
        "number": _("Number of the measure, e.g. “2-84”"),
        "title": _("Title of the measure"),
        "field": _("Its home %(field)s (the first digit of the number)"),
        "status": _("Key of the current status (empty if no report has been published)"),
        "status_label": _("The current status as shown on the portal"),
        "progress": _("Progress in percent, if reported"),
        "round": _("The reporting round the status comes from"),
        "reporting_date": _("Reporting date of that round (YYYY-MM-DD)"),
        "office": _("The office that reported it"),
        "goal": _("Code of its %(goal)s, e.g. “1.3”"),
        "lead": _("Contact (leading organisation) as printed"),
        "participants": _("Participants as printed"),
        "priority": _("Priority as printed, from + to +++"),
        "key_projects": _("Key projects named in the number cell, separated by “;”"),
        "commission": _("1 if marked with * (from the commission report), otherwise 0"),
    }
    levels = {"field": plan.level_name(1), "goal": plan.level_name(2)}
    return [(column, meanings[column] % levels) for column in MEASURE_COLUMNS]


def report_column_descriptions() -> list[tuple[str, str]]:
    """Each column of the report files with its meaning, in file order."""
    meanings = {
        "number": _("Number of the measure, e.g. “2-84”"),
        "title": _("Title of the measure"),
        "round": _("The reporting round of the report"),
        "reporting_date": _("Reporting date of that round (YYYY-MM-DD)"),
        "office": _("The office that reported it"),
        "status": _("Key of the reported status"),
        "status_label": _("The reported status as shown on the portal"),
        "progress": _("Progress in percent, if reported"),
        "summary": _("Current state (Sachstand) as published"),
        "next_steps": _("Next steps as published"),
    }
    return [(column, meanings[column]) for column in REPORT_COLUMNS]


@require_safe
@public_page
def overview(request: HttpRequest, plan: Plan) -> HttpResponse:
    """Show the downloads with their columns, licence, publisher and date."""
    breadcrumbs = [(_("Start"), reverse("portal:start")), (_("Open data"), None)]
    return render(
        request,
        "portal/open_data.html",
        {
            "plan": plan,
            "downloads": downloads(plan),
            "columns": column_descriptions(plan),
            "status_columns": status_column_descriptions(plan),
            "report_columns": report_column_descriptions(),
            "license": settings.KEK_DATA_LICENSE,
            "license_url": settings.KEK_DATA_LICENSE_URL,
            "publisher": settings.KEK_PUBLISHER,
            "breadcrumbs": breadcrumbs,
        },
    )


@require_safe
def download(request: HttpRequest, filename: str) -> HttpResponseBase:
    """Send one stored file of the open-data page; unknown names are 404.

    The file was built once after the change it shows (portal.download_store); the request
    only opens it, outside the page cache. Strong ETag (its SHA-256) and Last-Modified (its
    build): 304 when unchanged.
    """
    try:
        plan = Plan.objects.current()
    except Plan.DoesNotExist:
        raise Http404("No plan imported yet") from None
    offered = next((d for d in downloads(plan) if d.filename == filename), None)
    if offered is None:
        raise Http404("Unknown file")
    for _attempt in range(2):  # a build that finished meanwhile may have removed the old set
        stored = download_store.stored_file(plan, filename)
        if stored is None:
            raise Http404("Unknown file")
        headers = {
            "ETag": stored.etag,
            "Last-Modified": http_date(stored.built_at.timestamp()),
            # The plan revision the file shows; below the plan's while a rebuild runs.
            "X-KEK-Data-Revision": str(stored.revision),
        }
        conditional = get_conditional_response(
            request, etag=stored.etag, last_modified=int(stored.built_at.timestamp())
        )
        if conditional is not None:  # 304 Not Modified (or 412): the file is not sent
            for name, value in headers.items():
                conditional[name] = value
            return conditional
        try:
            opened = stored.path.open("rb")
        except FileNotFoundError:
            continue
        response = FileResponse(
            opened, content_type=offered.content_type, as_attachment=True, filename=filename
        )
        for name, value in headers.items():
            response[name] = value
        patch_cache_control(response, public=True, max_age=60)  # as the pages
        return response
    raise Http404("Unknown file")


def dcat_metadata(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    """DCAT-AP.de description of the catalogue as JSON-LD, with absolute download URLs."""
    return dcat_graph.catalog(request, plan, downloads(plan))


@require_safe
@public_page
def dcat(request: HttpRequest, plan: Plan) -> HttpResponse:
    """DCAT-AP.de metadata (JSON-LD) so that GovData and other portals can harvest the data."""
    return HttpResponse(
        render_json(dcat_metadata(request, plan)), content_type="application/ld+json"
    )


@require_safe
@public_page
def dcat_turtle(request: HttpRequest, plan: Plan) -> HttpResponse:
    """The same DCAT-AP.de metadata as Turtle (rdflib's serialisation of the JSON-LD)."""
    return HttpResponse(
        dcat_graph.turtle(dcat_metadata(request, plan)), content_type="text/turtle; charset=utf-8"
    )
