"""Read indicator values from CSV: the long format and GENESIS/Regionalstatistik "ffcsv".

Long format: a header `indicator,ags,year,value[,source]` (or `ags,year,value[,source]` when
the caller names the indicator), `,` or `;` as separator. GENESIS flat CSV ("ffcsv"): `;`,
columns `Zeit`, `1_Auspraegung_Code` (the AGS) and value columns named `CODE__Label__Unit`;
the markers `.` `...` `-` `/` `x` mean "no value" and such rows are skipped, not refused.

Files come as UTF-8 (with or without BOM) or Latin-1/Windows-1252. Numbers take a decimal
comma or point; when both occur the last one is the decimal mark (`1.234,5` = `1,234.5`).
Every problem names the file row (the header is row 1) and the column, in German.
"""

from __future__ import annotations

import _csv  # the type of csv.reader()
import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

MISSING_MARKERS = frozenset({".", "...", "-", "/", "x", "–"})
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_VALUE_COLUMN = re.compile(r"^([^_]+(?:_[^_]+)*)__(.+)__(.*)$")


class ValueFileError(ValueError):
    """The file as a whole cannot be read (German message); row problems are RowProblems."""


@dataclass(frozen=True, slots=True)
class ValueRules:
    """What the caller accepts: the county's AGS, the years, the known indicators."""

    allowed_ags: frozenset[str]
    first_year: int
    last_year: int
    indicators: frozenset[str]
    indicator: str | None = None
    column: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedValue:
    """One value of an indicator for an area and year, with its row in the file."""

    indicator: str
    ags: str
    year: int
    reference_date: datetime.date | None
    value: Decimal
    source: str
    row: int


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A refused (or, for missing markers, skipped) cell: row, column and a German message."""

    row: int
    column: str
    message: str
    sheet: str = ""  # the sheet of a workbook (XLSX), named first

    def __str__(self) -> str:
        where = f"Zeile {self.row}, Spalte „{self.column}“"
        return (
            f"Blatt „{self.sheet}“, {where}: {self.message}"
            if self.sheet
            else f"{where}: {self.message}"
        )


@dataclass
class ParsedValues:
    """What the file holds: values, refused rows (errors) and rows without a value."""

    format: str
    encoding: str
    delimiter: str
    values: list[ParsedValue] = field(default_factory=list)
    errors: list[RowProblem] = field(default_factory=list)
    missing: list[RowProblem] = field(default_factory=list)


def decode(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: UTF-8 if it is valid, else Windows-1252/Latin-1."""
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding), "UTF-8" if encoding == "utf-8-sig" else encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def parse_number(text: str) -> Decimal | None:
    """A number with decimal comma or point (thousands marks allowed with both); else None."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in cleaned and "." in cleaned:
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif "," in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not _PLAIN_NUMBER.fullmatch(cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return None


def parse_time(text: str) -> tuple[int, datetime.date | None] | None:
    """A year (`2023`) or a date (`31.12.2023`, `2023-12-31`) as (year, date or None)."""
    text = text.strip()
    if len(text) == 4 and text.isdigit():
        return int(text), None
    match = _GERMAN_DATE.fullmatch(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return year, datetime.date(year, month, day)
        date = datetime.date.fromisoformat(text)
    except ValueError:
        return None
    return date.year, date


class _Collector:
    """Checks of one row's cells shared by both formats; collects values and problems."""

    def __init__(self, result: ParsedValues, rules: ValueRules) -> None:
        self.result = result
        self.rules = rules
        self.seen: dict[tuple[str, str, int], int] = {}

    def refuse(self, row: int, column: str, message: str) -> None:
        self.result.errors.append(RowProblem(row, column, message))

    def add(self, row: int, cells: dict[str, tuple[str, str]], source: str) -> None:
        """Check the cells (column name, text) of indicator, ags, time and value; keep the value."""
        rules = self.rules
        indicator_column, indicator = cells["indicator"]
        ags_column, ags = cells["ags"]
        time_column, time = cells["time"]
        value_column, raw_value = cells["value"]
        problems = len(self.result.errors)
        if indicator not in rules.indicators:
            self.refuse(row, indicator_column, f"Indikator „{indicator}“ ist nicht definiert.")
        elif rules.indicator and indicator != rules.indicator:
            self.refuse(
                row, indicator_column, f"Indikator „{indicator}“, erwartet „{rules.indicator}“."
            )
        if ags not in rules.allowed_ags:
            self.refuse(row, ags_column, f"AGS „{ags}“ liegt nicht im Landkreis.")
        parsed_time = parse_time(time)
        if parsed_time is None:
            self.refuse(row, time_column, f"„{time}“ ist kein Jahr und kein Datum.")
        elif not rules.first_year <= parsed_time[0] <= rules.last_year:
            self.refuse(
                row,
                time_column,
                f"Jahr {parsed_time[0]} liegt außerhalb von {rules.first_year}–{rules.last_year}.",
            )
        value = None
        if raw_value.strip() in MISSING_MARKERS:
            self.result.missing.append(
                RowProblem(row, value_column, f"„{raw_value.strip()}“: kein Wert, übersprungen.")
            )
            return
        value = parse_number(raw_value)
        if value is None:
            self.refuse(row, value_column, f"„{raw_value}“ ist keine Zahl.")
        if len(self.result.errors) > problems or parsed_time is None or value is None:
            return
        year, date = parsed_time
        key = (indicator, ags, year)
        if key in self.seen:
            self.refuse(
                row,
                time_column,
                f"Wert für {ags} im Jahr {year} doppelt (schon in Zeile {self.seen[key]}).",
            )
            return
        self.seen[key] = row
        self.result.values.append(ParsedValue(indicator, ags, year, date, value, source, row))


def parse_values(data: bytes, rules: ValueRules) -> ParsedValues:
    """Parse a long-format or ffcsv file; ValueFileError if neither header is found."""
    text, encoding = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") and ";" in text else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise ValueFileError("Die Datei ist leer.") from None
    if "Zeit" in header and "1_Auspraegung_Code" in header:
        result = ParsedValues("ffcsv", encoding, delimiter)
        _parse_ffcsv(reader, header, rules, result)
    else:
        result = ParsedValues("long", encoding, delimiter)
        _parse_long(reader, [name.lower() for name in header], rules, result)
    return result


def _parse_long(
    reader: _csv.Reader, header: list[str], rules: ValueRules, result: ParsedValues
) -> None:
    required = (
        ["ags", "year", "value"] if rules.indicator else ["indicator", "ags", "year", "value"]
    )
    missing = [name for name in required if name not in header]
    if missing:
        raise ValueFileError(
            "Kopfzeile ohne Spalte(n) "
            + ", ".join(f"„{name}“" for name in missing)
            + "; erwartet: indicator,ags,year,value[,source] oder eine GENESIS-Flatfile (ffcsv)."
        )
    position = {name: header.index(name) for name in header}
    has_indicator = "indicator" in position
    source_at = position.get("source")
    collector = _Collector(result, rules)
    width = len(header)
    for cells in reader:
        row = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        indicator = cells[position["indicator"]].strip() if has_indicator else rules.indicator
        collector.add(
            row,
            {
                "indicator": ("indicator", indicator or ""),
                "ags": ("ags", cells[position["ags"]].strip()),
                "time": ("year", cells[position["year"]]),
                "value": ("value", cells[position["value"]]),
            },
            cells[source_at].strip() if source_at is not None else "",
        )


def _value_column(header: list[str], rules: ValueRules) -> int:
    """The position of the value column (`CODE__Label__Unit`) the caller means."""
    columns = [(i, _VALUE_COLUMN.match(name)) for i, name in enumerate(header)]
    found = [(i, match[1]) for i, match in columns if match]
    if rules.column:
        found = [(i, code) for i, code in found if code == rules.column]
    if len(found) == 1:
        return found[0][0]
    if not found:
        raise ValueFileError(
            "Keine Wertspalte „CODE__Bezeichnung__Einheit“"
            + (f" mit dem Code „{rules.column}“" if rules.column else "")
            + " in der Kopfzeile."
        )
    codes = ", ".join(code for _i, code in found)
    raise ValueFileError(f"Mehrere Wertspalten ({codes}): bitte eine mit --column wählen.")


def _parse_ffcsv(
    reader: _csv.Reader, header: list[str], rules: ValueRules, result: ParsedValues
) -> None:
    if not rules.indicator:
        raise ValueFileError("Eine GENESIS-Datei braucht --indicator (welcher Indikator).")
    value_at = _value_column(header, rules)
    value_name = header[value_at]
    time_at, ags_at = header.index("Zeit"), header.index("1_Auspraegung_Code")
    label_at = header.index("Statistik_Label") if "Statistik_Label" in header else None
    collector = _Collector(result, rules)
    for cells in reader:
        row = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) <= max(value_at, time_at, ags_at):
            collector.refuse(row, value_name, "Zeile hat zu wenige Spalten.")
            continue
        raw_value = cells[value_at]
        collector.add(
            row,
            {
                "indicator": ("--indicator", rules.indicator),
                "ags": ("1_Auspraegung_Code", cells[ags_at].strip()),
                "time": ("Zeit", cells[time_at]),
                "value": (value_name, raw_value if raw_value.strip() else "."),
            },
            cells[label_at].strip() if label_at is not None else "GENESIS",
        )
