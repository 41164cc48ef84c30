"""Helpers of the Arbeitsmappe tests: fill a downloaded workbook as an office would."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from monitoring.workbook import layout


def fill(data: bytes, rows: dict[str, dict[str, Any]]) -> bytes:
    """The workbook with cells set: {measure number: {column key: value}}."""
    book = load_workbook(io.BytesIO(data))
    sheet = book[str(layout.REPORTS_SHEET)]
    numbers = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
    for number, values in rows.items():
        for key, value in values.items():
            cell = sheet.cell(row=numbers[number], column=layout.COLUMN_KEYS.index(key) + 1)
            cell.value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_rows(data: bytes) -> list[dict[str, Any]]:
    """The data rows of the reports sheet by column key."""
    book = load_workbook(io.BytesIO(data))
    sheet = book[str(layout.REPORTS_SHEET)]
    return [
        dict(zip(layout.COLUMN_KEYS, row, strict=False))
        for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
