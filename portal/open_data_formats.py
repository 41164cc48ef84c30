"""Streaming writers of export rows (CSV, CSV for German Excel, JSON, XLSX) into a binary file.

Each writes the same bytes as its whole-file counterpart (`plans.exporters.render_csv` and
`render_json`, `open_data_rows.excel_csv`, `render_xlsx` here) while holding one row at a time:
the rows may be an iterator over a chunked query, so a file of a large plan is built with flat
memory (portal/README.md, "Offene Daten: einmal gebaut").
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from plans.spreadsheet_cells import for_csv, text_cell

Row = dict[str, Any]


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """A value as stored: text stays text, even when it starts with "=" (no formulas).

    `plans.spreadsheet_cells.text_cell`: a string cell is never evaluated, so XLSX keeps the
    exact text (no apostrophe as in CSV).
    """
    if not isinstance(value, str):
        return value
    return text_cell(WriteOnlyCell(sheet), value)


def write_xlsx(
    stream: IO[bytes],
    columns: tuple[str, ...],
    rows: Iterable[Row],
    *,
    title: str,
    created: datetime | None = None,
) -> None:
    """One worksheet: a header row with the column names, then one row per entry.

    openpyxl's write-only mode keeps no rows in memory: each is written to a temporary file
    as it is appended.
    """
    workbook = Workbook(write_only=True)
    if created is not None:
        # The workbook's creation date is the data's date, not the moment of the download.
        workbook.properties.created = created.replace(tzinfo=None)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(columns))
    for row in rows:
        sheet.append([_cell(sheet, row[column]) for column in columns])
    workbook.save(stream)


def render_xlsx(
    columns: tuple[str, ...], rows: Iterable[Row], *, title: str, created: datetime | None = None
) -> bytes:
    """The XLSX file as bytes (`write_xlsx` into memory)."""
    buffer = io.BytesIO()
    write_xlsx(buffer, columns, rows, title=title, created=created)
    return buffer.getvalue()


@contextmanager
def _text(stream: IO[bytes]) -> Iterator[io.TextIOWrapper]:
    """The binary stream as UTF-8 text, without translating line endings; left open."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    try:
        yield text
    finally:
        text.flush()
        text.detach()


def write_csv(
    stream: IO[bytes], columns: tuple[str, ...], rows: Iterable[Row], *, for_excel: bool = False
) -> None:
    """CSV with a header row and the formula guard of `plans.exporters.render_csv`.

    Standard: commas, "\\n", UTF-8 (the bytes of render_csv). for_excel: semicolons, "\\r\\n"
    and a byte order mark (the bytes of `open_data_rows.excel_csv` of the standard file).
    """
    with _text(stream) as text:
        if for_excel:
            text.write("\ufeff")
            writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
        else:
            writer = csv.writer(text, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            if row.keys() - set(columns):  # as csv.DictWriter(extrasaction="raise")
                raise ValueError(f"Unknown columns {sorted(row.keys() - set(columns))}")
            writer.writerow([for_csv(row.get(column, "")) for column in columns])


class _StreamedList(list[Any]):
    """A non-empty list to the JSON encoder whose items are produced one at a time."""

    def __init__(self, first: Any, rest: Iterator[Any]) -> None:
        super().__init__()
        self._first, self._rest = first, rest

    def __iter__(self) -> Iterator[Any]:
        yield self._first
        yield from self._rest

    def __bool__(self) -> bool:
        return True


def streamed(items: Iterable[Any]) -> list[Any]:
    """items as a list the JSON encoder reads lazily (json's own encoder, so the same bytes)."""
    iterator = iter(items)
    for first in iterator:
        return _StreamedList(first, iterator)
    return []


def write_json(stream: IO[bytes], data: Any, *, sort_keys: bool = False) -> None:
    """The bytes of `plans.exporters.render_json(data)`, written piece by piece.

    Lists inside data may be `streamed(…)`: their items are encoded as they come.
    """
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2, sort_keys=sort_keys)
    with _text(stream) as text:
        for chunk in encoder.iterencode(data):
            text.write(chunk)
        text.write("\n")
