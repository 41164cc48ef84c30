"""The progress reports on the web: the public list, HTML page and PDF, and the staff download.

Public pages show closed rounds only (an open or unknown round is a 404) and the public
report, which holds published reports only. The staff download may add the internal parts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts import policies
from monitoring.models import ReportingRound
from monitoring.views.access import forbidden, staff_page
from plans.models import Plan

from .content import build_report
from .rendering import public_pdf, render_html, render_pdf

View = Callable[..., HttpResponse]


def _rounds_state(plan: Plan) -> str:
    """A short fingerprint of the plan's rounds (closing or reopening one changes it)."""
    rows = ReportingRound.objects.filter(plan=plan).values_list(
        "pk", "state", "closed_at", "reopened_at", "name"
    )
    return hashlib.sha256(repr(sorted(rows)).encode()).hexdigest()[:16]


def report_page(view: View) -> View:
    """Serve a public report page from the cache while the plan and its rounds are unchanged.

    Keyed by the plan's revision (a published report raises it) and the rounds' state (closing
    a round does not change the catalogue's revision), and the path.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            plan = Plan.objects.current()
        except Plan.DoesNotExist:
            raise Http404("No plan imported yet") from None
        key = f"reports:{plan.pk}:{plan.revision}:{_rounds_state(plan)}:{request.get_full_path()}"
        response = cache.get(key)
        if response is None:
            response = view(request, plan, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                cache.set(key, response, settings.KEK_PAGE_CACHE_SECONDS)
        patch_cache_control(response, public=True, max_age=60)
        return response

    return wrapper


def closed_round(plan: Plan, slug: str) -> ReportingRound:
    """The closed round named by the slug; 404 for an unknown or open round."""
    reporting_round = ReportingRound.objects.filter(plan=plan).by_slug(slug)
    if reporting_round is None or reporting_round.is_open:
        raise Http404("No closed reporting round of that name")
    return reporting_round


@require_safe
@report_page
def round_list(request: HttpRequest, plan: Plan) -> HttpResponse:
    """The closed rounds, newest first, each with its report as a page and as PDF."""
    return render(
        request,
        "reports/round_list.html",
        {
            "plan": plan,
            "rounds": list(ReportingRound.objects.filter(plan=plan).closed().newest_first()),
            "breadcrumbs": [(_("Start"), reverse("portal:start")), (_("Progress reports"), None)],
        },
    )


@require_safe
@report_page
def report(request: HttpRequest, plan: Plan, round_slug: str) -> HttpResponse:
    """The public progress report of a closed round as an accessible page."""
    reporting_round = closed_round(plan, round_slug)
    content = build_report(plan, reporting_round)
    return render(
        request,
        "reports/report_page.html",
        {
            "report": content,
            "pdf_url": reverse("reports:pdf", args=[reporting_round.slug]),
            "breadcrumbs": [
                (_("Start"), reverse("portal:start")),
                (_("Progress reports"), reverse("reports:list")),
                (reporting_round.name, None),
            ],
        },
    )


@require_safe
def report_pdf(request: HttpRequest, round_slug: str) -> HttpResponse:
    """The public progress report of a closed round as PDF (rendered once per round state)."""
    try:
        plan = Plan.objects.current()
    except Plan.DoesNotExist:
        raise Http404("No plan imported yet") from None
    reporting_round = closed_round(plan, round_slug)
    path = public_pdf(plan, reporting_round)
    # A few MB, read whole: a plain response (no file left open until the client is done).
    response = HttpResponse(path.read_bytes(), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="umsetzungsbericht-{reporting_round.slug}.pdf"'
    )
    patch_cache_control(response, public=True, max_age=60)
    return response


@require_safe
@staff_page
def staff_download(request: HttpRequest, round_id: int) -> HttpResponse:
    """The report of any round of the plan for the staff: `?format=pdf|html`, `&intern=1`."""
    plan: Plan = request.plan  # type: ignore[attr-defined]  # set by staff_page
    reporting_round = get_object_or_404(ReportingRound, pk=round_id, plan=plan)
    internal = request.GET.get("intern") == "1"
    if internal and not policies.can_read_internal(request.user, plan):
        return forbidden(request, _("Only members of the plan may read the internal report."))
    content = build_report(plan, reporting_round, internal=internal)
    suffix = "-intern" if internal else ""
    name = f"umsetzungsbericht-{reporting_round.slug}{suffix}"
    if request.GET.get("format", "pdf") == "html":
        response = HttpResponse(render_html(content), content_type="text/html; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.html"'
        return response
    pdf = render_pdf(content)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
