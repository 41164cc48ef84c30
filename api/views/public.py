"""Public, read-only operations: the plan, its hierarchy, measures, placements, organisations,
key projects, rounds, the current status of each measure and the published reports."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router
from pydantic import Field

from council import reads as council_reads
from indicators.contribution_reads import contribution_tally
from monitoring import reads
from monitoring.models import ReportingRound, StatusReport
from monitoring.policies import reports_visible_to
from plans.models import KeyProject, Measure, Node, Organisation
from portal.measure_filters import MeasureFilterForm
from portal.slugs import key_project_slug

from .. import schemas
from . import serialise
from .common import (
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    ApiProblem,
    current_plan,
    link,
    not_found,
    optional_user,
    paginate,
    report_response,
)

router = Router(tags=["public"])
PageNumber = Annotated[int, Field(ge=1, description="Page, from 1")]
PageSize = Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE, description="Entries per page")]
Level = Annotated[int, Field(ge=1, le=4, description="Level of the hierarchy, 1–4")]
PROBLEMS = {400: schemas.Problem, 404: schemas.Problem, 429: schemas.Problem}


def _paging(page: int, page_size: int) -> tuple[int, int]:
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ApiProblem(
            400,
            _("Bad request"),
            _("page must be at least 1 and page_size between 1 and %(max)s.")
            % {"max": MAX_PAGE_SIZE},
        )
    return page, page_size


@router.get("/", response={200: schemas.ApiRoot, 429: schemas.Problem}, url_name="root")
def root(request: HttpRequest) -> dict[str, Any]:
    """Links to every resource of the API, the schema and the documentation."""
    names = (
        "plan",
        "nodes",
        "measures",
        "placements",
        "organisations",
        "key-projects",
        "rounds",
        "statuses",
        "reports",
        "indicators",
        "gemeinden",
        "schema",
        "docs",
    )
    return {
        "title": _("KEK-Monitor API"),
        "version": "1",
        "links": {name: link(request, name) for name in names},
    }


@router.get("/plan/", response={200: schemas.PlanOut, **PROBLEMS})
def plan_detail(request: HttpRequest) -> dict[str, Any]:
    """The plan the portal shows: title, level names, statuses, revision."""
    plan = current_plan()
    return {
        "slug": plan.slug,
        "title": plan.title,
        "level_names": list(plan.level_names or []),
        "revision": plan.revision,
        "statuses": [
            {"key": s.key, "label": s.label, "order": s.order, "is_continuous": s.is_continuous}
            for s in reads.statuses_of(plan)
        ],
        "links": {
            "fields": link(request, "nodes", query={"ebene": 1}),
            "measures": link(request, "measures"),
        },
    }


@router.get("/nodes/", response={200: schemas.NodeList, **PROBLEMS})
def node_list(
    request: HttpRequest,
    ebene: Level | None = None,
    page: PageNumber = 1,
    page_size: PageSize = PAGE_SIZE,
) -> dict[str, Any]:
    """The hierarchy's nodes in document order; `ebene` (1–4) keeps one level."""
    plan = current_plan()
    page, page_size = _paging(page, page_size)
    nodes = Node.objects.filter(plan=plan).in_document_order()
    if ebene is not None:
        nodes = nodes.filter(level=ebene)
    rows, paging = paginate(request, nodes, page, page_size)
    parents = dict(
        Node.objects.filter(pk__in={n.parent_id for n in rows}).values_list("pk", "code")
    )
    return {
        **paging,
        "results": [serialise.node(request, plan, n, parents.get(n.parent_id)) for n in rows],
    }


@router.get("/nodes/{code}/", response={200: schemas.NodeOut, **PROBLEMS})
def node_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    """One node by its code, e.g. `1.3` or `1.3.2`."""
    plan = current_plan()
    node = (
        Node.objects.filter(plan=plan, code=code).select_related("parent").order_by("order").first()
    )
    if node is None:
        raise not_found(_("There is no node %(code)s.") % {"code": code})
    return serialise.node(request, plan, node, node.parent.code if node.parent else None)


class MeasureFilters(schemas.Schema):
    """The filters of the portal's measure list, with the same names and values."""

    feld: str | None = None
    leitziel: str | None = None
    teilziel: str | None = None
    federfuehrung: str | None = None
    beteiligt: str | None = None
    prioritaet: str | None = None
    sv: str | None = None
    status: str | None = None
    kommission: bool | None = None


@router.get("/measures/", response={200: schemas.MeasureList, **PROBLEMS})
def measure_list(
    request: HttpRequest,
    filters: Query[MeasureFilters],
    page: PageNumber = 1,
    page_size: PageSize = PAGE_SIZE,
) -> dict[str, Any]:
    """The measures in number order, filtered as on the portal's measure list
    (`portal/measure_filters.py`): a measure matches if some placement meets each filter."""
    plan = current_plan()
    page, page_size = _paging(page, page_size)
    data = {k: v for k, v in filters.dict().items() if v not in (None, "", False)}
    form = MeasureFilterForm(data, plan)
    if not form.is_valid():
        raise ApiProblem(
            400,
            _("Bad request"),
            _("Unknown filter values."),
            {name: [str(e) for e in errors] for name, errors in form.errors.items()},
        )
    measures, paging = paginate(request, form.matches(), page, page_size)
    statuses = reads.current_statuses(plan, [m.pk for m in measures])
    return {
        **paging,
        "results": [
            _measure_summary(request, measure, statuses.get(measure.pk)) for measure in measures
        ],
    }


def _measure_summary(
    request: HttpRequest, measure: Measure, report: StatusReport | None
) -> dict[str, Any]:
    return {
        "number": measure.number,
        "title": measure.title,
        "home_field": measure.home_field,
        "commission": measure.commission,
        "status": serialise.current_status(request, report),
        "url": link(request, "measures", measure.number),
    }


def _measure(number: str) -> Measure:
    measure = Measure.objects.filter(plan=current_plan(), number=number).first()
    if measure is None:
        raise not_found(_("There is no measure %(number)s.") % {"number": number})
    return measure


@router.get("/measures/{number}/", response={200: schemas.MeasureOut, **PROBLEMS})
def measure_detail(request: HttpRequest, number: str) -> dict[str, Any]:
    """One measure by its number (e.g. `2-84`) with its placements and current status."""
    measure = _measure(number)
    history = reads.published_history(measure)
    placements = serialise.placements_query(measure.plan).filter(measure=measure)
    return {
        **_measure_summary(request, measure, history[0] if history else None),
        "placements": [serialise.placement(request, p) for p in placements],
        "council_papers": council_reads.papers_of(measure),
        "links": {
            "reports": link(request, "measures", measure.number, "reports"),
            "portal": request.build_absolute_uri(f"/massnahmen/{measure.number}/"),
        },
        "municipalities": _municipal_tally(measure),
    }


def _municipal_tally(measure: Measure) -> dict[str, Any] | None:
    tally = contribution_tally(measure)
    if tally is None:
        return None
    return {
        "total": tally.total,
        "without_statement": tally.silent,
        "sentence": tally.sentence,
        "counts": [
            {"key": c.status.key, "label": c.status.label, "count": c.count} for c in tally.counts
        ],
    }


@router.get("/measures/{number}/reports/", response={200: schemas.ReportList, **PROBLEMS})
def measure_reports(
    request: HttpRequest, number: str, page: PageNumber = 1, page_size: PageSize = PAGE_SIZE
) -> dict[str, Any]:
    """Every published report on the measure, newest first (the first gives its status)."""
    page, page_size = _paging(page, page_size)
    rows, paging = paginate(request, reads.published_history(_measure(number)), page, page_size)
    return {**paging, "results": [serialise.report(request, r) for r in rows]}


@router.get("/placements/", response={200: schemas.PlacementList, **PROBLEMS})
def placement_list(
    request: HttpRequest,
    knoten: str | None = None,
    page: PageNumber = 1,
    page_size: PageSize = PAGE_SIZE,
) -> dict[str, Any]:
    """Every occurrence of a measure in the document's tables, in document order; `knoten`
    keeps those standing directly under the node with that code."""
    plan = current_plan()
    page, page_size = _paging(page, page_size)
    placements = serialise.placements_query(plan)
    if knoten:
        placements = placements.filter(node__code=knoten)
    rows, paging = paginate(request, placements, page, page_size)
    return {**paging, "results": [serialise.placement(request, p) for p in rows]}


@router.get("/placements/{placement_id}/", response={200: schemas.PlacementOut, **PROBLEMS})
def placement_detail(request: HttpRequest, placement_id: int) -> dict[str, Any]:
    """One placement by its id."""
    row = serialise.placements_query(current_plan()).filter(pk=placement_id).first()
    if row is None:
        raise not_found(_("There is no placement %(id)s.") % {"id": placement_id})
    return serialise.placement(request, row)


@router.get("/organisations/", response={200: schemas.OrganisationList, **PROBLEMS})
def organisation_list(
    request: HttpRequest, page: PageNumber = 1, page_size: PageSize = PAGE_SIZE
) -> dict[str, Any]:
    """Offices, municipalities and partners, by abbreviation."""
    page, page_size = _paging(page, page_size)
    organisations = Organisation.objects.filter(plan=current_plan()).order_by("abbreviation", "pk")
    rows, paging = paginate(request, organisations, page, page_size)
    return {**paging, "results": [serialise.organisation(request, o) for o in rows]}


@router.get("/organisations/{abbreviation}/", response={200: schemas.OrganisationOut, **PROBLEMS})
def organisation_detail(request: HttpRequest, abbreviation: str) -> dict[str, Any]:
    """One organisation by its abbreviation, e.g. `AfS`."""
    row = Organisation.objects.filter(plan=current_plan(), abbreviation=abbreviation).first()
    if row is None:
        raise not_found(_("There is no organisation %(name)s.") % {"name": abbreviation})
    return serialise.organisation(request, row)


@router.get("/key-projects/", response={200: schemas.KeyProjectList, **PROBLEMS})
def key_project_list(
    request: HttpRequest, page: PageNumber = 1, page_size: PageSize = PAGE_SIZE
) -> dict[str, Any]:
    """The key projects (Schlüsselvorhaben) by field and code."""
    page, page_size = _paging(page, page_size)
    rows, paging = paginate(
        request,
        KeyProject.objects.filter(plan=current_plan()).order_by("field_number", "code", "pk"),
        page,
        page_size,
    )
    return {**paging, "results": [serialise.key_project(request, k) for k in rows]}


@router.get("/key-projects/{slug}/", response={200: schemas.KeyProjectOut, **PROBLEMS})
def key_project_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    """One key project by the portal's slug of its code (`SV I.2` → `sv-i-2`)."""
    found = next(
        (
            k
            for k in KeyProject.objects.filter(plan=current_plan()).order_by("field_number", "code")
            if key_project_slug(k.code) == slug
        ),
        None,
    )
    if found is None:
        raise not_found(_("There is no key project %(slug)s.") % {"slug": slug})
    return serialise.key_project(request, found)


@router.get("/rounds/", response={200: schemas.RoundList, **PROBLEMS})
def round_list(
    request: HttpRequest, page: PageNumber = 1, page_size: PageSize = PAGE_SIZE
) -> dict[str, Any]:
    """The reporting rounds, newest first."""
    page, page_size = _paging(page, page_size)
    rounds = ReportingRound.objects.filter(plan=current_plan()).newest_first()
    rows, paging = paginate(request, rounds, page, page_size)
    return {**paging, "results": [serialise.reporting_round(request, r) for r in rows]}


@router.get("/rounds/{slug}/", response={200: schemas.RoundOut, **PROBLEMS})
def round_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    """One round by its slug (`monitoring-2026`; `latest` is the newest closed round)."""
    found = ReportingRound.objects.filter(plan=current_plan()).by_slug(slug)
    if found is None:
        raise not_found(_("There is no reporting round %(slug)s.") % {"slug": slug})
    return serialise.reporting_round(request, found)


@router.get("/statuses/", response={200: schemas.StatusList, **PROBLEMS})
def status_list(
    request: HttpRequest, page: PageNumber = 1, page_size: PageSize = PAGE_SIZE
) -> dict[str, Any]:
    """The published (current) status of each measure in number order; `status` is null for
    a measure without a published report. The rule: `StatusReport.objects.giving_status`."""
    plan = current_plan()
    page, page_size = _paging(page, page_size)
    measures, paging = paginate(
        request, Measure.objects.filter(plan=plan).in_number_order(), page, page_size
    )
    statuses = reads.current_statuses(plan, [m.pk for m in measures])
    return {
        **paging,
        "results": [
            {
                "measure": m.number,
                "measure_url": link(request, "measures", m.number),
                "status": serialise.current_status(request, statuses.get(m.pk)),
            }
            for m in measures
        ],
    }


@router.get("/reports/", response={200: schemas.ReportList, **PROBLEMS})
def report_list(
    request: HttpRequest,
    runde: str | None = None,
    page: PageNumber = 1,
    page_size: PageSize = PAGE_SIZE,
) -> dict[str, Any]:
    """Every published report, newest first; `runde` (a round's slug) keeps one round."""
    plan = current_plan()
    page, page_size = _paging(page, page_size)
    reports = (
        StatusReport.objects.published()
        .filter(reporting_round__plan=plan)
        .newest_first()
        .select_related(*serialise.REPORT_RELATIONS)
    )
    if runde:
        found = ReportingRound.objects.filter(plan=plan).by_slug(runde)
        if found is None:
            raise not_found(_("There is no reporting round %(slug)s.") % {"slug": runde})
        reports = reports.filter(reporting_round=found)
    rows, paging = paginate(request, reports, page, page_size)
    return {**paging, "results": [serialise.report(request, r) for r in rows]}


def visible_report(request: HttpRequest, report_id: int, user: Any | None) -> StatusReport:
    """A report the caller may read: published ones for everyone, others by the policy."""
    plan = current_plan()
    reports = (
        reports_visible_to(user, plan)
        if user is not None
        else StatusReport.objects.published().filter(reporting_round__plan=plan)
    )
    found = reports.select_related(*serialise.REPORT_RELATIONS).filter(pk=report_id).first()
    if found is None:
        raise not_found(_("There is no report %(id)s you may read.") % {"id": report_id})
    return found


@router.get(
    "/reports/{report_id}/",
    response={200: schemas.ReportOut, 401: schemas.Problem, **PROBLEMS},
    openapi_extra={"security": [{"TokenAuth": []}, {}]},
)
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    """A published report; with a token also the reports its user may read. The ETag is the
    report's version (for `If-Match` on writes)."""
    return report_response(request, visible_report(request, report_id, optional_user(request)))
