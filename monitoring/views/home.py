"""The start page of the staff area and the to-do list of reports (Meine Maßnahmen)."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts import policies
from monitoring import services, worklists
from monitoring.forms import MyMeasuresFilterForm
from monitoring.models import ReportingRound
from plans.models import Measure, Organisation

from .access import error_page, posted_id, staff_page
from .workbook import reporting_offices

# Rows of Meine Maßnahmen per page.
PAGE_SIZE = 50


@require_safe
@staff_page
def home(request: HttpRequest) -> HttpResponse:
    """What the user can do here, by role; the measures its organisation takes part in."""
    plan = request.plan  # type: ignore[attr-defined]
    organisation = policies.organisation_of(request.user, plan)
    return render(
        request,
        "monitoring/home.html",
        {
            "role": policies.role(request.user, plan),
            "organisation": organisation,
            "reporter": worklists.reporter_of(request.user, plan),
            "is_coordination": policies.is_coordination(request.user, plan),
            "open_rounds": worklists.open_rounds(plan),
            "participations": worklists.measures_with_participation(organisation)
            if organisation is not None
            else [],
        },
    )


def _measure_number(raw: str) -> str:
    """A typed measure number as stored: "2 – 84" → "2-84"."""
    return "".join(raw.split()).replace("–", "-").replace("—", "-").replace("‑", "-")


@require_safe
@staff_page
def open_measure(request: HttpRequest) -> HttpResponse:
    """The form "Maßnahme öffnen": the staff page of the measure with the number typed."""
    plan = request.plan  # type: ignore[attr-defined]
    typed = request.GET.get("nummer", "").strip()[:50]
    number = _measure_number(typed)
    if number and Measure.objects.filter(plan=plan, number=number).exists():
        return redirect("staff:measure", number)
    message = (
        _("There is no measure with the number “%(number)s”.") % {"number": typed}
        if number
        else _("Enter the number of a measure, e.g. 2-84.")
    )
    return render(
        request,
        "monitoring/measure_not_found.html",
        {"message": message, "typed": typed},
        status=404 if number else 400,
    )


@require_safe
@staff_page
def my_measures(request: HttpRequest) -> HttpResponse:
    """The reports the user writes in one open round, filtered by the URL, fifty a page."""
    plan = request.plan  # type: ignore[attr-defined]
    work = worklists.my_work(request.user, plan)
    labels = worklists.field_labels(plan)
    fields = {n: labels.get(n, str(n)) for n in sorted({*labels, *work.home_fields})}
    form = MyMeasuresFilterForm(
        request.GET,
        rounds=[
            (
                r.pk,
                _("%(name)s (%(count)s outstanding)")
                % {"name": r.name, "count": work.outstanding(r)},
            )
            for r in work.rounds
        ],
        states=worklists.REPORT_STATES,
        fields=fields,
    )
    reporting_round = work.round_or_newest(form.value_of("runde"))
    in_round = work.in_round(reporting_round) if reporting_round else []
    # The counts per state follow the other filters, so each count matches its link.
    in_other_filters = worklists.filter_work(
        in_round, home_field=form.value_of("feld"), text=form.value_of("q") or ""
    )
    shown = worklists.filter_work(in_other_filters, state=form.value_of("stand") or "")
    page_obj = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    if reporting_round is not None:
        worklists.attach_carry_forward_sources(reporting_round, list(page_obj.object_list))
    states = Counter(item.state for item in in_other_filters)
    organisation = policies.organisation_of(request.user, plan)
    return render(
        request,
        "monitoring/my_measures.html",
        {
            "work": work,
            "reporter": work.reporter,
            "organisation": organisation,
            "organisation_reports": organisation is not None
            and worklists.is_reporting_office(organisation),
            "round": reporting_round,
            "form": form,
            "page_obj": page_obj,
            "items": page_obj.object_list,
            "total": len(in_round),
            "shown": len(shown),
            "outstanding": sum(1 for item in in_round if item.is_outstanding),
            "workbook_offices": reporting_offices(plan)
            if work.reporter is not None and work.reporter.is_coordination
            else [],
            "state_counts": [
                (key, label, states[key], _state_query(request, key))
                for key, label in worklists.REPORT_STATES
            ],
        },
    )


def _state_query(request: HttpRequest, state: str) -> str:
    """The query string that sets the state filter, keeps the others, goes back to page one."""
    query = request.GET.copy()
    query["stand"] = state
    query.pop("page", None)
    return f"?{query.urlencode()}"


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


@require_POST
@staff_page
def carry_forward(request: HttpRequest) -> HttpResponse:
    """„Unverändert seit <Runde>“: report the measure unchanged, submitted for review."""
    plan = request.plan  # type: ignore[attr-defined]
    reporting_round = get_object_or_404(ReportingRound, pk=posted_id(request, "round"), plan=plan)
    measure = get_object_or_404(Measure, pk=posted_id(request, "measure"), plan=plan)
    organisation = get_object_or_404(Organisation, pk=posted_id(request, "organisation"), plan=plan)
    try:
        report = services.carry_forward(request.user, reporting_round, measure, organisation)
    except services.MonitoringError as error:
        return error_page(request, error)
    messages.success(
        request,
        _("%(measure)s was reported unchanged since %(round)s and submitted for review.")
        % {
            "measure": measure.number,
            "round": report.carried_forward_from.reporting_round.name
            if report.carried_forward_from
            else "",
        },
    )
    return redirect(f"{reverse('staff:my_measures')}?runde={reporting_round.pk}")
