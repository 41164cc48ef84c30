"""Read the first sheet of a register workbook (XLSX) as rows of text cells.

Plain Python (openpyxl, read-only): the same columns as the CSV (`register_csv`), the header in
the first row. Refused with a German message naming sheet, row and column: more than
`MAX_ROWS` rows or `MAX_COLUMNS` columns, a formula in any cell (enter the value itself), a
file openpyxl cannot read. The archive itself (size, macros, zip bomb) is checked before, by
the caller (`monitoring.workbook.reading.check_archive`).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

MAX_ROWS = 10_000
MAX_COLUMNS = 30


class SheetRefused(Exception):
    """The workbook cannot be read as a register; the message is German."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class SheetRows:
    """The name of the sheet read and its rows (number, text cells), the header first."""

    sheet: str
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def cell_text(value: Any) -> str:
    """A cell's value as the CSV would hold it: whole numbers without “.0”, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _rows(sheet: Any, name: str) -> Iterator[tuple[int, list[str]]]:
    header: list[str] = []
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        if number > MAX_ROWS + 1:
            raise SheetRefused(
                f"Blatt „{name}“: mehr als {MAX_ROWS} Zeilen; teilen Sie die Datei auf."
            )
        texts: list[str] = []
        for index, cell in enumerate(cells):
            if index >= MAX_COLUMNS:
                if getattr(cell, "value", None) not in (None, ""):
                    raise SheetRefused(
                        f"Blatt „{name}“, Zeile {number}: mehr als {MAX_COLUMNS} Spalten."
                    )
                continue
            if getattr(cell, "data_type", None) == "f":
                column = header[index] if index < len(header) and header[index] else None
                label = f"„{column}“" if column else get_column_letter(index + 1)
                raise SheetRefused(
                    f"Blatt „{name}“, Zeile {number}, Spalte {label}: Formeln werden nicht "
                    "angenommen; tragen Sie den Wert selbst ein."
                )
            texts.append(cell_text(getattr(cell, "value", None)))
        if number == 1:
            header = texts
        yield number, texts


def read_sheet(data: bytes) -> SheetRows:
    """The rows of the workbook's first sheet; `SheetRefused` if it cannot be read safely."""
    try:
        workbook = load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_vba=False, keep_links=False
        )
    except Exception as error:  # openpyxl raises many kinds for broken files
        raise SheetRefused("Die Datei ist keine lesbare Excel-Arbeitsmappe (XLSX).") from error
    try:
        if not workbook.worksheets:
            raise SheetRefused("Die Arbeitsmappe enthält kein Tabellenblatt.")
        sheet = workbook.worksheets[0]
        name = str(sheet.title)
        if sheet.max_row is not None and sheet.max_row > MAX_ROWS + 1:
            raise SheetRefused(
                f"Blatt „{name}“: mehr als {MAX_ROWS} Zeilen; teilen Sie die Datei auf."
            )
        return SheetRows(name, list(_rows(sheet, name)))
    except SheetRefused:
        raise
    except Exception as error:  # broken XML inside a valid archive
        raise SheetRefused("Die Datei ist keine lesbare Excel-Arbeitsmappe (XLSX).") from error
    finally:
        workbook.close()
