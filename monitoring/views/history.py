"""The history of a report (who, when, what changed) and restoring an earlier version."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from monitoring import report_values, services
from monitoring.models import StatusOption, StatusReport, StepProgress

from .access import error_page, staff_page
from .reports import visible_report

# Bookkeeping fields the history does not list as changes.
_SILENT_FIELDS = {"version", "updated_at"}


def _step_changes(report: StatusReport) -> list[tuple[Any, dict[str, str]]]:
    """Every recorded change of a step's state: (when, {label, old, new}), oldest first."""
    labels = report_values.step_labels(report)
    last: dict[report_values.StepKey, str] = {}
    changes = []
    for record in StepProgress.history.filter(report_id=report.pk).order_by("history_date", "pk"):
        key = (record.placement_id, record.step_id)
        old = last.get(key)
        last[key] = record.state
        if record.history_type == "+" and record.state == StepProgress.State.OPEN:
            continue  # an open step recorded as open changes nothing
        if old == record.state:
            continue
        label = labels.get(key, _("a step no longer in the plan"))
        changes.append(
            (
                record.history_date,
                {
                    "label": _("Step: %(step)s") % {"step": label},
                    "old": report_values.step_state(old),
                    "new": report_values.step_state(record.state),
                },
            )
        )
    return changes


def _entries(report: StatusReport) -> list[dict[str, Any]]:
    """The report's versions, newest first, each with its changes against the one before.

    A step's change belongs to the version written just before it (see `set_step_progress`).
    """
    statuses = dict(
        StatusOption.objects.filter(plan=report.reporting_round.plan).values_list("pk", "label")
    )
    records = list(report.history.select_related("history_user").order_by("history_date", "pk"))
    step_changes = _step_changes(report)
    entries = []
    previous = None
    for index, record in enumerate(records):
        changes = []
        if previous is not None:
            for change in record.diff_against(previous).changes:
                if change.field in _SILENT_FIELDS:
                    continue
                label = report_values.field_label(change.field)
                changes.append(
                    {
                        "label": label,
                        "old": report_values.display(change.field, change.old, statuses),
                        "new": report_values.display(change.field, change.new, statuses),
                    }
                )
        following = records[index + 1].history_date if index + 1 < len(records) else None
        changes += [
            change
            for when, change in step_changes
            if when >= record.history_date and (following is None or when < following)
        ]
        entries.append({"record": record, "changes": changes, "is_first": previous is None})
        previous = record
    entries.reverse()
    return entries


@require_safe
@staff_page
def report_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every version of the report: who, when, what changed; restore an earlier one.

    A deleted report's history stays readable (without restoring).
    """
    found = visible_report(request, pk, include_deleted=True)
    return render(
        request,
        "monitoring/report_history.html",
        {
            "report": found,
            "entries": _entries(found),
            "can_restore": not found.is_deleted and services.is_changeable(request.user, found),
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
