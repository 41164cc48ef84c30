"""One rule against formula injection for every CSV and XLSX file the product writes.

A spreadsheet program evaluates a cell whose text starts with `=`, `+`, `-` or `@` (and, after
a tab or carriage return, whatever follows) as a formula: `=HYPERLINK("http://x","y")` in a
measure title would become a link in the reader's Excel. The rule:

- **CSV** has no cell types, so such a text is written with a leading apostrophe
  (`'=HYPERLINK(…)`), which Excel and LibreOffice show as text and do not evaluate
  (`for_csv`).
- **XLSX** has cell types: a string cell (`data_type "s"`) is text and never evaluated, so the
  text is written exactly as stored, as a string cell (`text_cell`). openpyxl would otherwise
  turn a value starting with `=` into a formula cell; `text_cell` prevents that.

Numbers, dates and empty values are not text and stay as they are.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# The first characters that make a spreadsheet program read a text as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# What CSV puts in front of such a text so that it stays text.
CSV_TEXT_MARK = "'"


def looks_like_formula(value: Any) -> bool:
    """Whether a value is a text a spreadsheet program would evaluate."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def for_csv(value: Any) -> Any:
    """The value for a CSV cell: a formula-like text gets a leading apostrophe."""
    return CSV_TEXT_MARK + value if looks_like_formula(value) else value


def xlsx_text(value: str) -> str:
    """A text as an XLSX cell can hold it (control characters XML forbids removed)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def text_cell(cell: Any, value: Any) -> Any:
    """Put a value into an openpyxl cell; a text becomes a string cell, never a formula."""
    if isinstance(value, str):
        cell.value = xlsx_text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell
