"""Open data: downloads of the catalogue and DCAT-AP.de metadata."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from monitoring import reads as monitoring_reads
from plans.exporters import (
    PLACEMENT_COLUMNS,
    export_plan_json,
    placement_rows,
    render_csv,
    render_json,
)
from plans.models import Plan
from plans.plan_data import SCHEMA_PATH
from portal import dcat as dcat_graph
from portal.caching import public_page
from portal.open_data_formats import render_xlsx
from portal.open_data_rows import MEASURE_COLUMNS, excel_csv, measure_rows

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Download:
    """A file of the open-data page: its name, type and how it is made from the plan."""

    filename: str
    format: str  # as shown, and the EU file-type authority code
    media_type: str
    title: str
    render: Callable[[Plan], bytes]

    @property
    def content_type(self) -> str:
        """The Content-Type header: text formats declare UTF-8."""
        if self.media_type.startswith("text/"):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type


def _placements_csv(plan: Plan) -> bytes:
    return render_csv(PLACEMENT_COLUMNS, placement_rows(plan))


def _placements_json(plan: Plan) -> bytes:
    return render_json(placement_rows(plan))


def _placements_xlsx(plan: Plan) -> bytes:
    return render_xlsx(
        PLACEMENT_COLUMNS, placement_rows(plan), title=plan.slug, created=plan.imported_at
    )


def _statuses_csv(plan: Plan) -> bytes:
    return render_csv(MEASURE_COLUMNS, measure_rows(plan))


def _statuses_excel_csv(plan: Plan) -> bytes:
    return excel_csv(_statuses_csv(plan))


def _statuses_json(plan: Plan) -> bytes:
    return render_json(measure_rows(plan))


def _statuses_xlsx(plan: Plan) -> bytes:
    return render_xlsx(MEASURE_COLUMNS, measure_rows(plan), title=plan.slug)


REPORT_COLUMNS = monitoring_reads.REPORT_COLUMNS


def _reports_csv(plan: Plan) -> bytes:
    return render_csv(REPORT_COLUMNS, monitoring_reads.published_report_rows(plan))


def _reports_excel_csv(plan: Plan) -> bytes:
    return excel_csv(_reports_csv(plan))


def _reports_json(plan: Plan) -> bytes:
    return render_json(monitoring_reads.published_report_rows(plan))


def _reports_xlsx(plan: Plan) -> bytes:
    return render_xlsx(
        REPORT_COLUMNS, monitoring_reads.published_report_rows(plan), title=plan.slug
    )


def _schema(plan: Plan) -> bytes:
    return SCHEMA_PATH.read_bytes()


def downloads(plan: Plan) -> list[Download]:
    """The files offered for the plan; their names derive from the plan's slug."""
    measures = _("Measures of the plan, one row per placement")
    statuses = _(
        "Every measure with its place in the plan, lead, participants, priority, key projects "
        "and current implementation status, one row per measure"
    )
    reports = _("Every published status report of every reporting round, one row per report")
    excel = _("for German Excel: semicolons, UTF-8 with byte order mark")
    return [
        Download(f"{plan.slug}-massnahmen.csv", "CSV", "text/csv", measures, _placements_csv),
        Download(
            f"{plan.slug}-massnahmen.json", "JSON", "application/json", measures, _placements_json
        ),
        Download(f"{plan.slug}-massnahmen.xlsx", "XLSX", XLSX_TYPE, measures, _placements_xlsx),
        Download(f"{plan.slug}-umsetzungsstand.csv", "CSV", "text/csv", statuses, _statuses_csv),
        Download(
            f"{plan.slug}-umsetzungsstand-excel.csv",
            "CSV",
            "text/csv",
            f"{statuses} ({excel})",
            _statuses_excel_csv,
        ),
        Download(
            f"{plan.slug}-umsetzungsstand.json",
            "JSON",
            "application/json",
            statuses,
            _statuses_json,
        ),
        Download(f"{plan.slug}-umsetzungsstand.xlsx", "XLSX", XLSX_TYPE, statuses, _statuses_xlsx),
        Download(f"{plan.slug}-berichte.csv", "CSV", "text/csv", reports, _reports_csv),
        Download(
            f"{plan.slug}-berichte-excel.csv",
            "CSV",
            "text/csv",
            f"{reports} ({excel})",
            _reports_excel_csv,
        ),
        Download(f"{plan.slug}-berichte.json", "JSON", "application/json", reports, _reports_json),
        Download(f"{plan.slug}-berichte.xlsx", "XLSX", XLSX_TYPE, reports, _reports_xlsx),
        Download(
            f"{plan.slug}-plan.json",
            "JSON",
            "application/json",
            _("The whole plan: hierarchy, organisations, measures, placements and steps"),
            export_plan_json,
        ),
        Download(
            "plan.schema.json",
            "JSON",
            "application/schema+json",
            _("JSON Schema of the whole plan"),
            _schema,
        ),
    ]


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
@public_page
def download(request: HttpRequest, plan: Plan, filename: str) -> HttpResponse:
    """Send one file of the open-data page as an attachment; unknown names are 404."""
    offered = next((d for d in downloads(plan) if d.filename == filename), None)
    if offered is None:
        raise Http404("Unknown file")
    response = HttpResponse(offered.render(plan), content_type=offered.content_type)
    response["Content-Disposition"] = f'attachment; filename="{offered.filename}"'
    return response


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
