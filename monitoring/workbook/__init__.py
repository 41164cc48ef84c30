"""The Arbeitsmappe (Excel round trip): export an office's reports, import them back as drafts.

- `export.build_workbook(round, office)` → XLSX bytes (`kek workbook export`, the download in
  Meine Maßnahmen);
- `reading.read_workbook(data, filename)` → the rows, refusing hostile files;
- `validation.check_workbook(user, raw, expected_round)` → the preview (`ImportPlan`);
- `apply.apply_import(user, import_plan)` → the drafts, all or nothing.
"""

from __future__ import annotations

from typing import Any

from monitoring.models import ReportingRound

from .apply import apply_import
from .export import build_workbook, export_rows, file_name, office_items
from .reading import MAX_BYTES, MAX_ROWS, WorkbookRefused, read_workbook
from .validation import ImportPlan, RowPlan, check_workbook


def preview_import(
    user: Any, data: bytes, filename: str = "", expected_round: ReportingRound | None = None
) -> ImportPlan:
    """Read and check an uploaded workbook; nothing is written."""
    return check_workbook(user, read_workbook(data, filename), expected_round)


__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "ImportPlan",
    "RowPlan",
    "WorkbookRefused",
    "apply_import",
    "build_workbook",
    "check_workbook",
    "export_rows",
    "file_name",
    "office_items",
    "preview_import",
    "read_workbook",
]
