"""Reporting rounds for the coordination: list, open, close, dashboard, publish, remind."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import policies
from monitoring import services, worklists
from monitoring.dashboard import round_dashboard
from monitoring.forms import ReopenRoundForm, ReturnForm, RoundForm
from monitoring.models import ReportingRound
from monitoring.policies import can_reopen_round, round_accepts_changes
from monitoring.services import reminders
from plans.models import Organisation

from .access import error_page, posted_id, staff_page


def _round(request: HttpRequest, pk: int) -> ReportingRound:
    return get_object_or_404(
        ReportingRound.objects.select_related("plan"),
        pk=pk,
        plan=request.plan,  # type: ignore[attr-defined]
    )


def _require_coordination(request: HttpRequest) -> None:
    """The round pages are the coordination's (reading, too)."""
    if not policies.is_coordination(request.user, request.plan):  # type: ignore[attr-defined]
        raise services.NotAllowed(_("Only the coordination manages reporting rounds."))


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
def round_list(request: HttpRequest) -> HttpResponse:
    """All rounds of the plan; the form to open a new one."""
    _require_coordination(request)
    plan = request.plan  # type: ignore[attr-defined]
    form = RoundForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = services.open_round(request.user, plan, **form.cleaned_data)
            except services.InvalidData as error:
                form.add_service_errors(error.errors or {"__all__": [error.message]})
            else:
                messages.success(
                    request, _("The round “%(name)s” was opened.") % {"name": created.name}
                )
                return redirect("staff:round", created.pk)
        status = 400
    rounds = ReportingRound.objects.filter(plan=plan).newest_first()
    return render(
        request, "monitoring/round_list.html", {"rounds": rounds, "form": form}, status=status
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
def close_round(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then close the round: the offices can no longer report in it."""
    _require_coordination(request)
    reporting_round = _round(request, pk)
    if request.method != "POST":
        if not reporting_round.is_open:
            return redirect("staff:round", reporting_round.pk)
        outstanding = worklists.outstanding_by_organisation(reporting_round)
        return render(
            request,
            "monitoring/round_close.html",
            {
                "round": reporting_round,
                "outstanding": sum(len(items) for items in outstanding.values()),
                "offices": len(outstanding),
            },
        )
    try:
        services.close_round(request.user, reporting_round)
    except services.MonitoringError as error:
        return error_page(request, error)
    messages.success(request, _("The round was closed."))
    return redirect("staff:round", reporting_round.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
def reopen_round(request: HttpRequest, pk: int) -> HttpResponse:
    """Reopen a closed round, with a reason that is logged."""
    reporting_round = _round(request, pk)
    if not can_reopen_round(request.user, reporting_round):
        raise services.NotAllowed(_("Only the coordination can reopen a reporting round."))
    if reporting_round.is_open and request.method != "POST":
        return redirect("staff:round", reporting_round.pk)
    form = ReopenRoundForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.reopen_round(request.user, reporting_round, form.cleaned_data["reason"])
            except services.InvalidData as error:
                form.add_service_errors(error.errors or {"__all__": [error.message]})
            except services.MonitoringError as error:
                return error_page(request, error)
            else:
                messages.success(
                    request,
                    _("The round “%(name)s” was reopened; the offices can report again.")
                    % {"name": reporting_round.name},
                )
                return redirect("staff:round", reporting_round.pk)
        status = 400
    return render(
        request,
        "monitoring/round_reopen.html",
        {"round": reporting_round, "form": form},
        status=status,
    )


@require_safe
@staff_page
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """Counts per office and per field, overdue reports, the reports to review."""
    _require_coordination(request)
    reporting_round = _round(request, pk)
    return render(
        request,
        "monitoring/round_dashboard.html",
        {
            "round": reporting_round,
            "round_closed": not round_accepts_changes(reporting_round),
            "dashboard": round_dashboard(reporting_round),
            "states": worklists.REPORT_STATES,
            "return_form": ReturnForm(),
        },
    )


@require_POST
@staff_page
def publish_round(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish every approved report of the round."""
    reporting_round = _round(request, pk)
    try:
        published = services.publish_round(request.user, reporting_round)
    except services.MonitoringError as error:
        return error_page(request, error)
    messages.success(
        request,
        ngettext(
            "%(count)s report was published.", "%(count)s reports were published.", len(published)
        )
        % {"count": len(published)},
    )
    return redirect("staff:round", reporting_round.pk)


@require_POST
@staff_page
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    """E-mail the editors of every office (or the one chosen) that still owes reports."""
    reporting_round = _round(request, pk)
    organisation_id = posted_id(request, "organisation")
    organisation = None
    if organisation_id is not None:
        organisation = get_object_or_404(
            Organisation, pk=organisation_id, plan=reporting_round.plan
        )
    try:
        sent = services.send_reminders(request.user, reporting_round, organisation)
    except services.MonitoringError as error:
        return error_page(request, error)
    if sent:
        messages.success(
            request,
            ngettext("%(count)s reminder was sent.", "%(count)s reminders were sent.", sent)
            % {"count": sent},
        )
    else:
        messages.warning(request, _nobody_reminded(reporting_round, organisation))
    return redirect("staff:round", reporting_round.pk)


def _nobody_reminded(reporting_round: ReportingRound, organisation: Organisation | None) -> str:
    """Why no reminder went out: nothing is outstanding, the offices were reminded within the
    quiet period, or nobody there has an e-mail address (or several of these)."""
    outstanding = worklists.outstanding_by_organisation(reporting_round, organisation)
    if not outstanding:
        return _("No reminder was sent: no office has outstanding reports.")
    reminded = reminders.recently_reminded(reporting_round)
    quiet = sorted(o.abbreviation for o in outstanding if o.pk in reminded)
    unreachable = sorted(o.abbreviation for o in outstanding if o.pk not in reminded)
    hours = settings.KEK_REMINDER_QUIET_HOURS
    if not unreachable:
        return _(
            "No reminder was sent: every office with outstanding reports (%(offices)s) was "
            "already reminded in the last %(hours)s hours. It can be reminded again once "
            "%(hours)s hours have passed."
        ) % {"offices": ", ".join(quiet), "hours": hours}
    missing_addresses = _(
        "%(offices)s: no active editor with an e-mail address. Give the editors an e-mail "
        "address in the back office (Users)."
    ) % {"offices": ", ".join(unreachable)}
    if not quiet:
        return _("No reminder was sent. %(reason)s") % {"reason": missing_addresses}
    return _(
        "No reminder was sent. %(reason)s %(offices)s: already reminded in the last "
        "%(hours)s hours."
    ) % {"reason": missing_addresses, "offices": ", ".join(quiet), "hours": hours}
