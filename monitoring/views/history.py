"""The history of a report (who, when, what changed) and restoring an earlier version."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from monitoring import policies, services
from monitoring.models import StatusOption, StatusReport

from .access import error_page, staff_page
from .reports import visible_report

# Bookkeeping fields the history does not list as changes.
_SILENT_FIELDS = {"version", "updated_at"}


def _value(name: str, value: Any, statuses: dict[int, str]) -> str:
    if value in (None, ""):
        return "–"
    if name == "status":
        return statuses.get(value, str(value))
    field = StatusReport._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return date_format(localtime(value), "d.m.Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "m/Y" if name == "expected_completion" else "d.m.Y")
    return str(value)


def _entries(report: StatusReport) -> list[dict[str, Any]]:
    """The report's versions, newest first, each with its changes against the one before."""
    statuses = dict(
        StatusOption.objects.filter(plan=report.reporting_round.plan).values_list("pk", "label")
    )
    records = list(report.history.select_related("history_user").order_by("history_date", "pk"))
    entries = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            for change in record.diff_against(previous).changes:
                if change.field in _SILENT_FIELDS:
                    continue
                label = StatusReport._meta.get_field(change.field).verbose_name
                changes.append(
                    {
                        "label": label,
                        "old": _value(change.field, change.old, statuses),
                        "new": _value(change.field, change.new, statuses),
                    }
                )
        entries.append({"record": record, "changes": changes, "is_first": previous is None})
        previous = record
    entries.reverse()
    return entries


@require_safe
@staff_page
def report_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every version of the report: who, when, what changed; restore an earlier one."""
    found = visible_report(request, pk)
    return render(
        request,
        "monitoring/report_history.html",
        {
            "report": found,
            "entries": _entries(found),
            "can_restore": policies.can_edit_report(request.user, found),
        },
    )


@require_POST
@staff_page
def restore(request: HttpRequest, pk: int, history_id: int) -> HttpResponse:
    """Bring back the values of an earlier version, as a new version."""
    found = visible_report(request, pk)
    record = get_object_or_404(found.history.all(), history_id=history_id)
    try:
        services.restore_version(request.user, record)
    except services.MonitoringError as error:
        return error_page(request, error)
    messages.success(request, _("Version %(version)s was restored.") % {"version": record.version})
    return redirect("staff:report", found.pk)
