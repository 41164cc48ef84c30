"""A status report: its form, submission, review (return, approve, publish) and conflicts."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from monitoring import policies, report_values, services
from monitoring.forms import ReportForm, ReturnForm
from monitoring.models import StatusReport

from .access import error_page, next_url, restore_post, staff_page


def visible_report(request: HttpRequest, pk: int, *, include_deleted: bool = False) -> StatusReport:
    """The report if the user may read it, else 404 (another office's draft does not exist)."""
    plan = request.plan  # type: ignore[attr-defined]
    report = (
        policies.reports_visible_to(request.user, plan, include_deleted=include_deleted)
        .select_related("reporting_round__plan", "measure", "organisation", "status", "author")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404(_("No such report."))
    return report


def conflict_page(
    request: HttpRequest,
    report: StatusReport,
    error: services.ConflictError,
    form: ReportForm | None = None,
) -> HttpResponse:
    """Both versions side by side (stored and the user's), steps included; nothing was saved."""
    rows = []
    for name in StatusReport.USER_EDITABLE_FIELDS:
        stored = report_values.display(name, getattr(error.stored, name))
        yours = report_values.display(name, error.attempted.get(name))
        label = report_values.field_label(name)
        rows.append({"label": label, "stored": stored, "yours": yours, "differs": stored != yours})
    if form is not None:
        stored_steps = {
            (p.placement_id, p.step_id): p.state for p in error.stored.step_progress.all()
        }
        for target in form.steps:
            key = (target.placement.pk, None) if target.placement else (None, target.step.pk)  # type: ignore[union-attr]
            stored = report_values.step_state(stored_steps.get(key))
            yours = report_values.step_state(form.cleaned_data.get(target.field_name))
            label = _("Step: %(step)s") % {"step": target.label}
            rows.append(
                {"label": label, "stored": stored, "yours": yours, "differs": stored != yours}
            )
    return render(
        request,
        "monitoring/conflict.html",
        {"report": report, "error": error, "rows": rows},
        status=409,
    )


def _page(
    request: HttpRequest,
    report: StatusReport,
    form: ReportForm | None,
    status: int = 200,
    *,
    refusal: str = "",
) -> HttpResponse:
    """The report page: the form if the user may change the report now, else its values.

    With `refusal` the posted form comes back with the service's message and without the save
    buttons: what the user typed is shown again, never thrown away.
    """
    user = request.user
    changeable = form is not None and not refusal
    return render(
        request,
        "monitoring/report_form.html",
        {
            "report": report,
            "form": form,
            "refusal": refusal,
            "can_edit": changeable,
            "can_submit": changeable
            and policies.can_submit_report(user, report)
            and report.state in StatusReport.TRANSITIONS["submit"][0],
            "can_review": policies.can_review_report(user, report)
            and policies.round_accepts_changes(report.reporting_round),
            "return_form": ReturnForm(),
            "can_delete": policies.can_delete_report(user, report)
            and report.state != StatusReport.State.PUBLISHED
            and services.is_open_for(user, report.reporting_round),
            "round_closed": not report.reporting_round.is_open,
            "steps": report.step_progress.select_related("step", "placement"),
        },
        status=status,
    )


def _refused(
    request: HttpRequest, report: StatusReport, form: ReportForm, error: services.MonitoringError
) -> HttpResponse:
    """The posted form again with the German reason it could not be saved (409)."""
    return _page(request, report, form, status=409, refusal=error.message)


def _save(request: HttpRequest, report: StatusReport, form: ReportForm) -> HttpResponse | None:
    """Save the posted values and changed steps; a response if that failed, else None."""
    if not form.is_valid():
        return _page(request, report, form, status=400)
    try:
        with transaction.atomic():
            services.save_report(
                request.user, report, form.report_values(), form.cleaned_data["version"]
            )
            for target, state in form.changed_steps():
                services.set_step_progress(
                    request.user, report, state, step=target.step, placement=target.placement
                )
    except services.ConflictError as error:
        return conflict_page(request, report, error, form)
    except services.InvalidData as error:
        form.add_service_errors(error.errors or {"__all__": [error.message]})
        return _page(request, report, form, status=400)
    except services.InvalidTransition as error:
        return _refused(request, report, form, error)
    return None


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the report; its office (or the coordination) edits and saves it here.

    A form posted while the session had expired comes back after the login (see
    `access.stash_post`), filled in as it was typed and not yet saved.
    """
    found = visible_report(request, pk)
    if request.method != "POST":
        if not services.is_changeable(request.user, found):
            return _page(request, found, None)
        stashed = restore_post(request)
        if stashed is not None:
            messages.warning(
                request,
                _(
                    "What you typed before your session expired is filled in below. "
                    "It is not saved yet: check it and save."
                ),
            )
        return _page(request, found, ReportForm.for_report(found, stashed))
    if not policies.can_edit_report(request.user, found):
        raise services.NotAllowed(_("You cannot change this report."))
    form = ReportForm.for_report(found, request.POST)
    failed = _save(request, found, form)
    if failed is not None:
        return failed
    messages.success(request, _("The report was saved."))
    return redirect("staff:report", found.pk)


@require_POST
@staff_page
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the posted form values and submit the report, as one version (or nothing)."""
    found = visible_report(request, pk)
    user = request.user
    form = None
    if "version" in request.POST and policies.can_submit_report(user, found):
        form = ReportForm.for_report(found, request.POST)
        if not form.is_valid():
            return _page(request, found, form, status=400)
    already_submitted = found.state in services.SUBMITTED_STATES
    try:
        submitted = services.submit_report(
            user,
            found,
            form.report_values() if form else None,
            form.cleaned_data["version"] if form else None,
            steps=[(state, target.step, target.placement) for target, state in form.changed_steps()]
            if form
            else (),
        )
    except services.ConflictError as error:
        return conflict_page(request, found, error, form)
    except services.InvalidData as error:
        if form is None and services.is_changeable(user, found):
            form = ReportForm.for_report(found)
        if form is not None:
            form.add_service_errors(error.errors)
        messages.error(request, error.message)
        return _page(request, found, form, status=400)
    except services.InvalidTransition as error:
        if form is not None:
            return _refused(request, found, form, error)
        return error_page(request, error)
    except services.MonitoringError as error:
        return error_page(request, error)
    if already_submitted or submitted is not found:
        # Submitted before (a double click or the back button): nothing changed.
        messages.info(request, _("The report had already been submitted; nothing was changed."))
    else:
        messages.success(request, _("The report was submitted to the coordination."))
    return redirect("staff:report", found.pk)


def _review(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    found = visible_report(request, pk)
    try:
        if action == "return":
            form = ReturnForm(request.POST)
            if not form.is_valid():
                raise services.InvalidData(_("Say why the report is returned."))
            services.return_report(request.user, found, form.cleaned_data["comment"])
            messages.success(request, _("The report was returned to the office."))
        elif action == "approve":
            services.approve_report(request.user, found)
            messages.success(request, _("The report was approved."))
        else:
            services.publish_report(request.user, found)
            messages.success(request, _("The report was published."))
    except services.MonitoringError as error:
        return error_page(request, error)
    return redirect(next_url(request, reverse("staff:report", args=[found.pk])))


@require_POST
@staff_page
def return_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordination returns a report with a comment."""
    return _review(request, pk, "return")


@require_POST
@staff_page
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordination approves a submitted report."""
    return _review(request, pk, "approve")


@require_POST
@staff_page
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordination publishes an approved report."""
    return _review(request, pk, "publish")


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then mark the report deleted (it stays in the database with its history)."""
    found = visible_report(request, pk)
    if not policies.can_delete_report(request.user, found):
        raise services.NotAllowed(_("You cannot delete this report."))
    if request.method != "POST":
        return render(request, "monitoring/report_delete.html", {"report": found})
    try:
        services.soft_delete_report(request.user, found)
    except services.MonitoringError as error:
        return error_page(request, error)
    messages.success(
        request,
        _("The report of %(office)s on %(measure)s was deleted; its history is kept.")
        % {"office": found.organisation.abbreviation, "measure": found.measure.number},
    )
    return redirect("staff:my_measures")
