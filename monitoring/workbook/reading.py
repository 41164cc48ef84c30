"""Read an uploaded Arbeitsmappe safely: refuse hostile files before openpyxl parses them.

Checked in this order, each refusal a German message and nothing written:
size (at most 5 MB), a ZIP archive at all, macros (vbaProject.bin, a macro-enabled content
type, .xlsm), the uncompressed size of its members (a zip bomb: at most 50 MB together and a
compression ratio of at most 200 per large member, from the archive's directory, before
anything is decompressed; Python's zipfile never inflates a member beyond its declared size),
then openpyxl in read-only mode: the identification sheet, at most 10,000 rows, no formula
in any cell of the reports sheet.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from monitoring.services import InvalidData

from . import layout

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 200
# Members smaller than this may compress as well as they like (e.g. empty styles).
RATIO_FLOOR = 1024 * 1024
MACRO_EXTENSIONS = (".xlsm", ".xltm", ".xlam")


class WorkbookRefused(InvalidData):
    """The file is no Arbeitsmappe that can be read safely."""


@dataclass
class RawRow:
    """A data row of the reports sheet: its number in the sheet and its cells by column key."""

    number: int
    cells: dict[str, Any]


@dataclass
class RawWorkbook:
    """What the file says: its identification and its data rows."""

    identification: dict[str, str]
    rows: list[RawRow] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)


def where(row: int | None = None, column: str | None = None) -> str:
    """„Blatt „Berichte“, Zeile 5, Spalte „Status““ – the place a message is about."""
    parts = [_("Sheet “%(sheet)s”") % {"sheet": layout.REPORTS_SHEET}]
    if row is not None:
        parts.append(_("row %(row)d") % {"row": row})
    if column is not None:
        header = next(c.header for c in layout.COLUMNS if c.key == column)
        parts.append(_("column “%(column)s”") % {"column": header})
    return ", ".join(parts)


def _check_archive(data: bytes, filename: str) -> None:
    if len(data) > MAX_BYTES:
        raise WorkbookRefused(
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    if filename.lower().endswith(MACRO_EXTENSIONS):
        raise WorkbookRefused(_("Workbooks with macros (.xlsm) are not accepted."))
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise WorkbookRefused(_("The file is not an Excel workbook (XLSX)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {member.filename.lower() for member in members}
            content_types = (
                archive.read("[Content_Types].xml")
                if "[content_types].xml" in names
                and archive.getinfo("[Content_Types].xml").file_size < RATIO_FLOOR
                else b""
            )
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as error:
        raise WorkbookRefused(_("The file is not an Excel workbook (XLSX).")) from error
    if any(name.endswith("vbaproject.bin") for name in names) or b"macroEnabled" in content_types:
        raise WorkbookRefused(_("Workbooks with macros (.xlsm) are not accepted."))
    if "xl/workbook.xml" not in names or not content_types:
        raise WorkbookRefused(_("The file is not an Excel workbook (XLSX)."))
    total = sum(member.file_size for member in members)
    bomb = total > MAX_UNCOMPRESSED or any(
        member.file_size > RATIO_FLOOR
        and member.file_size > MAX_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if bomb:
        raise WorkbookRefused(
            _("The file unpacks to far more data than a workbook holds (a zip bomb?).")
        )


def check_archive(data: bytes, filename: str) -> None:
    """The archive checks of any uploaded XLSX (size, macros, zip bomb); `WorkbookRefused`."""
    _check_archive(data, filename)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _identification(workbook: Any) -> dict[str, str]:
    if layout.IDENTIFICATION_SHEET not in workbook.sheetnames:
        raise WorkbookRefused(
            _(
                "The file is not a workbook downloaded from KEK-Monitor (sheet “%(sheet)s” is "
                "missing)."
            )
            % {"sheet": layout.IDENTIFICATION_SHEET}
        )
    values: dict[str, str] = {}
    for row in workbook[layout.IDENTIFICATION_SHEET].iter_rows(
        min_row=1, max_row=len(layout.IDENTIFICATION_KEYS), max_col=2, values_only=True
    ):
        if len(row) >= 2 and row[0] in layout.IDENTIFICATION_KEYS:
            values[str(row[0])] = _text(row[1])
    if values.get("format") != layout.FORMAT:
        raise WorkbookRefused(
            _("The file is not a workbook downloaded from KEK-Monitor (unknown format).")
        )
    return values


def _rows(workbook: Any) -> tuple[list[str], list[RawRow]]:
    name = str(layout.REPORTS_SHEET)
    if name not in workbook.sheetnames:
        raise WorkbookRefused(_("The sheet “%(sheet)s” is missing.") % {"sheet": name})
    sheet = workbook[name]
    if sheet.max_row is not None and sheet.max_row > MAX_ROWS + 1:
        raise WorkbookRefused(_("The workbook has more than %(rows)d rows.") % {"rows": MAX_ROWS})
    headers: list[str] = []
    rows: list[RawRow] = []
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        if number > MAX_ROWS + 1:
            raise WorkbookRefused(
                _("The workbook has more than %(rows)d rows.") % {"rows": MAX_ROWS}
            )
        values: dict[str, Any] = {}
        for index, cell in enumerate(cells):
            if getattr(cell, "data_type", None) == "f":
                column = layout.COLUMN_KEYS[index] if index < len(layout.COLUMNS) else None
                raise WorkbookRefused(
                    _("%(where)s: formulas are not accepted, enter the value itself.")
                    % {"where": where(number, column)}
                )
            if index < len(layout.COLUMNS):
                values[layout.COLUMN_KEYS[index]] = cell.value
        if number == 1:
            headers = [_text(values.get(key)) for key in layout.COLUMN_KEYS]
            continue
        if all(values.get(key) in (None, "") for key in layout.COLUMN_KEYS):
            continue
        if isinstance(values.get("expected_completion"), datetime.datetime):
            values["expected_completion"] = values["expected_completion"].date()
        rows.append(RawRow(number, values))
    return headers, rows


def read_workbook(data: bytes, filename: str = "") -> RawWorkbook:
    """The identification and the rows of an uploaded file; WorkbookRefused if hostile."""
    _check_archive(data, filename)
    try:
        workbook = load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_vba=False, keep_links=False
        )
    except Exception as error:  # openpyxl raises many kinds for broken files
        raise WorkbookRefused(_("The file is not a readable Excel workbook (XLSX).")) from error
    try:
        identification = _identification(workbook)
        headers, rows = _rows(workbook)
    except WorkbookRefused:
        raise
    except Exception as error:  # broken XML inside a valid archive
        raise WorkbookRefused(_("The file is not a readable Excel workbook (XLSX).")) from error
    finally:
        workbook.close()
    expected = [str(column.header) for column in layout.COLUMNS]
    if headers != expected:
        raise WorkbookRefused(
            _("%(where)s: the column headings were changed; download the workbook again.")
            % {"where": where(1)}
        )
    return RawWorkbook(identification, rows, headers)
