"""The Arbeitsmappe in the staff area: download, upload with a preview, then apply.

The uploaded file waits between preview and confirmation in `VAR_DIR/workbook-uploads/`
under a random name kept in the session; the confirmation reads and checks it again (so the
preview is never stale) and deletes it.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from monitoring import services, workbook, worklists
from monitoring.models import ReportingRound
from monitoring.policies import reporting_office_q
from plans.models import Organisation, Plan

from .access import error_page, staff_page

SESSION_KEY = "kek_workbook_upload"
# An upload nobody confirmed is deleted after this many seconds (at the next upload).
PENDING_SECONDS = 24 * 60 * 60


def upload_dir() -> Path:
    """Where an uploaded workbook waits for the confirmation."""
    return Path(settings.VAR_DIR) / "workbook-uploads"


def _reporter(request: HttpRequest) -> worklists.Reporter:
    reporter = worklists.reporter_of(request.user, request.plan)  # type: ignore[attr-defined]
    if reporter is None:
        raise services.NotAllowed(
            _("Only the office's editors and the coordination exchange workbooks.")
        )
    return reporter


def _open_round(request: HttpRequest, raw: str | None) -> ReportingRound | None:
    rounds = worklists.open_rounds(request.plan)  # type: ignore[attr-defined]
    chosen = next((r for r in rounds if str(r.pk) == raw), None)
    return chosen or (rounds[0] if rounds else None)


def reporting_offices(plan: Plan) -> list[Organisation]:
    """The offices that report themselves, for the coordination's choice."""
    return list(
        Organisation.objects.filter(reporting_office_q(), plan=plan).order_by("abbreviation")
    )


@require_safe
@staff_page
def download(request: HttpRequest) -> HttpResponse:
    """The office's workbook for an open round (the coordination names the office: `amt`)."""
    reporter = _reporter(request)
    reporting_round = _open_round(request, request.GET.get("runde"))
    if reporting_round is None:
        return error_page(request, services.InvalidTransition(_("No reporting round is open.")))
    office = reporter.organisation
    if office is None:
        raw = request.GET.get("amt", "")
        office = get_object_or_404(
            Organisation,
            pk=int(raw) if raw.isdigit() else 0,
            plan=request.plan,  # type: ignore[attr-defined]
        )
    try:
        data = workbook.build_workbook(reporting_round, office)
    except services.MonitoringError as error:
        return error_page(request, error)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = workbook.file_name(reporting_round, office)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _remove_stale_uploads() -> None:
    """Delete the waiting uploads older than PENDING_SECONDS."""
    cutoff = time.time() - PENDING_SECONDS
    for path in upload_dir().glob("*.xlsx"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue


def _discard_pending(request: HttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        (upload_dir() / f"{pending['token']}.xlsx").unlink(missing_ok=True)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
def upload(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: read and check the file, show the preview (nothing saved)."""
    _reporter(request)
    rounds = worklists.open_rounds(request.plan)  # type: ignore[attr-defined]
    context: dict[str, object] = {"rounds": rounds, "max_mb": workbook.MAX_BYTES // 2**20}
    if request.method != "POST":
        return render(request, "monitoring/workbook_upload.html", context)
    reporting_round = _open_round(request, request.POST.get("runde"))
    uploaded = request.FILES.get("datei")
    error = ""
    if reporting_round is None:
        error = _("No reporting round is open.")
    elif uploaded is None:
        error = _("Choose the workbook file to upload.")
    elif uploaded.size is not None and uploaded.size > workbook.MAX_BYTES:
        error = _("The file is larger than %(mb)d MB.") % {"mb": workbook.MAX_BYTES // 2**20}
    if error or uploaded is None or reporting_round is None:
        return render(
            request, "monitoring/workbook_upload.html", {**context, "error": error}, status=400
        )
    data = uploaded.read(workbook.MAX_BYTES + 1)
    try:
        preview = workbook.preview_import(request.user, data, uploaded.name or "", reporting_round)
    except services.NotAllowed:
        raise
    except services.MonitoringError as refused:
        return render(
            request,
            "monitoring/workbook_upload.html",
            {**context, "error": refused.message},
            status=400,
        )
    _discard_pending(request)
    token = ""
    if preview.can_apply:
        token = secrets.token_urlsafe(24)
        upload_dir().mkdir(parents=True, exist_ok=True)
        _remove_stale_uploads()
        (upload_dir() / f"{token}.xlsx").write_bytes(data)
        request.session[SESSION_KEY] = {
            "token": token,
            "round": reporting_round.pk,
            "name": uploaded.name or "",
        }
    return render(
        request,
        "monitoring/workbook_preview.html",
        {"preview": preview, "token": token, "file_name": uploaded.name},
        status=400 if preview.errors else 200,
    )


@require_POST
@staff_page
def apply(request: HttpRequest) -> HttpResponse:
    """Apply the previewed workbook: checked again, then all rows as drafts or nothing."""
    _reporter(request)
    pending = request.session.get(SESSION_KEY)
    if not pending or request.POST.get("token") != pending.get("token"):
        return error_page(
            request,
            services.InvalidTransition(
                _("This upload is no longer waiting; upload the workbook again.")
            ),
        )
    path = upload_dir() / f"{pending['token']}.xlsx"
    reporting_round = get_object_or_404(
        ReportingRound,
        pk=pending["round"],
        plan=request.plan,  # type: ignore[attr-defined]
    )
    try:
        data = path.read_bytes()
    except OSError:
        _discard_pending(request)
        return error_page(
            request,
            services.InvalidTransition(
                _("This upload is no longer waiting; upload the workbook again.")
            ),
        )
    try:
        preview = workbook.preview_import(request.user, data, pending["name"], reporting_round)
        written = workbook.apply_import(request.user, preview)
    except services.NotAllowed:
        raise
    except services.MonitoringError as refused:
        _discard_pending(request)
        return error_page(request, refused)
    _discard_pending(request)
    messages.success(
        request,
        _("%(count)d reports were saved as drafts from the workbook.") % {"count": written}
        + (
            " "
            + _("%(count)d rows with conflicts were not taken over.")
            % {"count": len(preview.conflicts)}
            if preview.conflicts
            else ""
        ),
    )
    return redirect(f"{reverse('staff:my_measures')}?runde={reporting_round.pk}")
