"""One measure in the staff area: who leads and takes part, its reports and its comments."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.policies import can_administer
from monitoring import comments, measure_audit, policies, services
from monitoring.models import Comment
from plans.models import Measure, Organisation

from .access import error_page, staff_page


def _measure(request: HttpRequest, number: str, *, deleted_too: bool = False) -> Measure:
    measures = Measure.all_objects if deleted_too else Measure.objects
    return get_object_or_404(
        measures.select_related("plan", "deleted_by"),
        plan=request.plan,  # type: ignore[attr-defined]
        number=number,
    )


def _comments_anchor(measure: Measure) -> str:
    return reverse("staff:measure", args=[measure.number]) + "#kommentare"


def _page(
    request: HttpRequest,
    measure: Measure,
    *,
    text: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    plan = request.plan  # type: ignore[attr-defined]
    reports = (
        policies.reports_visible_to(user, plan)
        .filter(measure=measure)
        .select_related("reporting_round", "organisation", "status")
        .order_by("-reporting_round__reporting_date", "organisation__abbreviation")
    )
    visible_comments = (
        policies.comments_visible_to(user, plan)
        .filter(measure=measure)
        .select_related("measure", "author", "organisation")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "monitoring/measure.html",
        {
            "measure": measure,
            "leads": policies.lead_organisations(measure).order_by("abbreviation"),
            "participants": Organisation.objects.taking_part_in(measure).order_by("abbreviation"),
            "reports": reports,
            "comments": [
                {"comment": c, "can_delete": policies.can_delete_comment(user, c)}
                for c in visible_comments
            ],
            "can_comment": policies.can_comment_on_measure(user, measure),
            "max_length": Comment.MAX_LENGTH,
            "text": text,
            "error": error,
        },
        status=status,
    )


@require_safe
@staff_page
def measure(request: HttpRequest, number: str) -> HttpResponse:
    """The measure with its lead and participants, the reports the user may read, comments.

    A deleted measure has only its audit trail left to show (with who deleted it and why).
    """
    found = _measure(request, number, deleted_too=True)
    if found.is_deleted:
        return redirect("staff:measure_history", found.number)
    return _page(request, found)


@require_safe
@staff_page
def measure_history(request: HttpRequest, number: str) -> HttpResponse:
    """The measure's audit trail: catalogue changes and monitoring events the user may read."""
    found = _measure(request, number, deleted_too=True)
    return render(
        request,
        "monitoring/measure_history.html",
        {
            "measure": found,
            "entries": measure_audit.measure_timeline(request.user, found),
            "can_administer": can_administer(request.user, found.plan_id),
        },
    )


@require_POST
@staff_page
def add_comment(request: HttpRequest, number: str) -> HttpResponse:
    """Write a comment on the measure; an empty or too long one is shown again with the error."""
    found = _measure(request, number)
    text = request.POST.get("text", "")
    try:
        comments.add_comment(request.user, found, text)
    except services.InvalidData as error:
        return _page(request, found, text=text, error=error.message, status=400)
    except services.MonitoringError as error:
        return error_page(request, error)
    messages.success(request, _("Your comment was saved."))
    return redirect(_comments_anchor(found))


@require_POST
@staff_page
def delete_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Hide a comment (the coordination or its author)."""
    plan = request.plan  # type: ignore[attr-defined]
    found = (
        policies.comments_visible_to(request.user, plan)
        .select_related("measure__plan")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404(_("No such comment."))
    try:
        comments.delete_comment(request.user, found)
    except services.MonitoringError as error:
        return error_page(request, error)
    messages.success(request, _("The comment was hidden."))
    return redirect(_comments_anchor(found.measure))
