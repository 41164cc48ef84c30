"""Write an import: every changed row becomes the office's draft through the services.

All or nothing: one transaction. Rows without a report are started together with their values
(`start_reports`: pre-filled as the web does, one version each, in bulk queries); a row with a
report is saved with `save_report` at the version the preview saw, so a report changed in
between raises ConflictError and nothing is written. Only the columns that differ are saved.
Conflicting rows are never written.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from monitoring import services
from monitoring.models import StatusOption

from .validation import ImportPlan


def _report_data(changes: dict[str, tuple[Any, Any]], statuses: dict[str, StatusOption]) -> dict:
    data = {key: new for key, (_old, new) in changes.items()}
    if "status" in data:
        data["status"] = statuses[data["status"]] if data["status"] else None
    return data


@transaction.atomic
def apply_import(user: Any, import_plan: ImportPlan) -> int:
    """Save the changed rows as drafts; return how many reports were written."""
    if import_plan.errors:
        raise services.InvalidData(_("The workbook has errors; nothing was saved."))
    statuses = {s.label: s for s in StatusOption.objects.filter(plan=import_plan.plan)}
    new = [row for row in import_plan.changed if row.report is None]
    if new:
        services.start_reports(
            user,
            import_plan.reporting_round,
            [(row.measure, _report_data(row.changes, statuses)) for row in new],
            import_plan.office,
        )
    for row in import_plan.changed:
        report = row.report
        if report is None:
            continue
        version = row.expected_version if row.expected_version is not None else report.version
        services.save_report(user, report, _report_data(row.changes, statuses), version)
    return len(import_plan.changed)
