"""Writes on status reports with a token: start, save, submit (offices), return, approve,
publish (the coordination). Every operation calls `monitoring.services`, whose policies decide.

Optimistic locking: each write names the version it read in `If-Match` (the report's ETag);
another version gives 412 and nothing changes.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from monitoring import services
from monitoring.models import ReportingRound, StatusOption, StatusReport
from monitoring.services.errors import ConflictError
from plans.models import Measure, Organisation

from .. import schemas
from .common import (
    ApiProblem,
    TokenAuth,
    current_plan,
    expected_version,
    not_found,
    report_response,
)
from .public import router, visible_report

# The writes share the router of the reads: one path answers GET and POST/PATCH.
TOKEN = TokenAuth()
TAGS = ["reports (write)"]
WRITE_PROBLEMS = {code: schemas.Problem for code in (400, 401, 403, 404, 409, 412, 422, 428, 429)}


def _report(request: HttpRequest, report_id: int) -> StatusReport:
    return visible_report(request, report_id, request.auth)  # type: ignore[attr-defined]


def _check_version(report: StatusReport, version: int | None) -> None:
    """412 unless the report still has the version the caller read."""
    if version is not None and version != report.version:
        raise ConflictError(report, {}, version)


@router.post(
    "/reports/", response={201: schemas.ReportOut, **WRITE_PROBLEMS}, auth=TOKEN, tags=TAGS
)
def start(request: HttpRequest, data: schemas.ReportStart) -> HttpResponse:
    """Start a draft report of an organisation (by default the user's own) on a measure in an
    open round; pre-filled from its last published report (`services.start_report`)."""
    plan = current_plan()
    reporting_round = ReportingRound.objects.filter(plan=plan).by_slug(data.round)
    if reporting_round is None:
        raise not_found(_("There is no reporting round %(slug)s.") % {"slug": data.round})
    measure = Measure.objects.filter(plan=plan, number=data.measure).first()
    if measure is None:
        raise not_found(_("There is no measure %(number)s.") % {"number": data.measure})
    organisation = None
    if data.organisation:
        organisation = Organisation.objects.filter(
            plan=plan, abbreviation=data.organisation
        ).first()
        if organisation is None:
            raise not_found(_("There is no organisation %(name)s.") % {"name": data.organisation})
    user = request.auth  # type: ignore[attr-defined]
    report = services.start_report(user, reporting_round, measure, organisation)
    return report_response(request, _report(request, report.pk), status=201)


def _values(report: StatusReport, data: schemas.ReportValues) -> dict[str, Any]:
    """The values sent (fields left out stay as they are); a status by its key."""
    values = data.dict(exclude_unset=True)
    if "status" in values and values["status"] is not None:
        status = StatusOption.objects.filter(
            plan_id=report.reporting_round.plan_id, key=values["status"]
        ).first()
        if status is None:
            raise ApiProblem(
                422,
                _("Invalid data"),
                _("Unknown status."),
                {"status": [_("Unknown status %(key)s.") % {"key": values["status"]}]},
            )
        values["status"] = status
    for text in ("summary", "next_steps", "obstacles", "funding_programme", "funding_state"):
        if text in values and values[text] is None:
            values[text] = ""
    return values


@router.patch(
    "/reports/{report_id}/",
    response={200: schemas.ReportOut, **WRITE_PROBLEMS},
    auth=TOKEN,
    tags=TAGS,
)
def save(request: HttpRequest, report_id: int, data: schemas.ReportValues) -> HttpResponse:
    """Save values of a draft or returned report (`services.save_report`); needs If-Match."""
    report = _report(request, report_id)
    version = expected_version(request)
    assert version is not None
    user = request.auth  # type: ignore[attr-defined]
    services.save_report(user, report, _values(report, data), version)
    return report_response(request, _report(request, report_id))


@router.post(
    "/reports/{report_id}/submit/",
    response={200: schemas.ReportOut, **WRITE_PROBLEMS},
    auth=TOKEN,
    tags=TAGS,
)
def submit(request: HttpRequest, report_id: int) -> HttpResponse:
    """Submit the report to the coordination (`services.submit_report`); needs If-Match."""
    report = _report(request, report_id)
    version = expected_version(request)
    user = request.auth  # type: ignore[attr-defined]
    services.submit_report(user, report, expected_version=version)
    return report_response(request, _report(request, report_id))


@router.post(
    "/reports/{report_id}/return/",
    response={200: schemas.ReportOut, **WRITE_PROBLEMS},
    auth=TOKEN,
    tags=TAGS,
)
def return_(request: HttpRequest, report_id: int, data: schemas.ReturnComment) -> HttpResponse:
    """Return the report to its office with a comment (coordination); needs If-Match."""
    report = _report(request, report_id)
    _check_version(report, expected_version(request))
    services.return_report(request.auth, report, data.comment)  # type: ignore[attr-defined]
    return report_response(request, _report(request, report_id))


@router.post(
    "/reports/{report_id}/approve/",
    response={200: schemas.ReportOut, **WRITE_PROBLEMS},
    auth=TOKEN,
    tags=TAGS,
)
def approve(request: HttpRequest, report_id: int) -> HttpResponse:
    """Approve a submitted report (coordination); needs If-Match."""
    report = _report(request, report_id)
    _check_version(report, expected_version(request))
    services.approve_report(request.auth, report)  # type: ignore[attr-defined]
    return report_response(request, _report(request, report_id))


@router.post(
    "/reports/{report_id}/publish/",
    response={200: schemas.ReportOut, **WRITE_PROBLEMS},
    auth=TOKEN,
    tags=TAGS,
)
def publish(request: HttpRequest, report_id: int) -> HttpResponse:
    """Publish an approved report (coordination): the portal shows it from the next request."""
    report = _report(request, report_id)
    _check_version(report, expected_version(request))
    services.publish_report(request.auth, report)  # type: ignore[attr-defined]
    return report_response(request, _report(request, report_id))
