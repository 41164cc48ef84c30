"""XLSX rendering of export rows, next to plans.exporters' CSV and JSON renderers."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from plans.spreadsheet_cells import text_cell

Row = dict[str, Any]


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """A value as stored: text stays text, even when it starts with "=" (no formulas).

    `plans.spreadsheet_cells.text_cell`: a string cell is never evaluated, so XLSX keeps the
    exact text (no apostrophe as in CSV).
    """
    if not isinstance(value, str):
        return value
    return text_cell(WriteOnlyCell(sheet), value)


def render_xlsx(
    columns: tuple[str, ...], rows: list[Row], *, title: str, created: datetime | None = None
) -> bytes:
    """One worksheet: a header row with the column names, then one row per entry."""
    workbook = Workbook(write_only=True)
    if created is not None:
        # The workbook's creation date is the data's date, not the moment of the download.
        workbook.properties.created = created.replace(tzinfo=None)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(columns))
    for row in rows:
        sheet.append([_cell(sheet, row[column]) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
