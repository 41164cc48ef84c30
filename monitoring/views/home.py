"""The start page of the staff area and the office's to-do list (Meine Maßnahmen)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from monitoring import policies, services, worklists
from monitoring.models import ReportingRound
from plans.models import Measure, Organisation

from .access import error_page, posted_id, staff_page


@require_safe
@staff_page
def home(request: HttpRequest) -> HttpResponse:
    """What the user can do here, by role."""
    plan = request.plan  # type: ignore[attr-defined]
    return render(
        request,
        "monitoring/home.html",
        {
            "role": policies.role(request.user, plan),
            "organisation": policies.organisation_of(request.user, plan),
            "is_coordination": policies.is_coordination(request.user, plan),
            "open_rounds": worklists.open_rounds(plan),
        },
    )


@require_safe
@staff_page
def my_measures(request: HttpRequest) -> HttpResponse:
    """The measures the user's office reports on in the open rounds, with their state."""
    plan = request.plan  # type: ignore[attr-defined]
    items = worklists.my_work(request.user, plan)
    return render(
        request,
        "monitoring/my_measures.html",
        {
            "items": items,
            "open_rounds": worklists.open_rounds(plan),
            "organisation": policies.organisation_of(request.user, plan),
            "outstanding": sum(1 for item in items if item.is_outstanding),
        },
    )


@require_POST
@staff_page
def start_report(request: HttpRequest) -> HttpResponse:
    """Start a report (pre-filled from the last published one) and open its form."""
    plan = request.plan  # type: ignore[attr-defined]
    reporting_round = get_object_or_404(ReportingRound, pk=posted_id(request, "round"), plan=plan)
    measure = get_object_or_404(Measure, pk=posted_id(request, "measure"), plan=plan)
    organisation_id = posted_id(request, "organisation")
    organisation = None
    if organisation_id is not None:
        organisation = get_object_or_404(Organisation, pk=organisation_id, plan=plan)
    try:
        report = services.start_report(request.user, reporting_round, measure, organisation)
    except services.MonitoringError as error:
        return error_page(request, error)
    messages.success(request, _("The report was started."))
    return redirect("staff:report", report.pk)
