"""Read a register file (CSV, `,` or `;`, UTF-8 or Latin-1; or the rows of a workbook's
sheet, `register_xlsx`): one entry per row.

Plain Python, no Django: the service checks Gemeinde, point and permissions and writes.
Columns (German headers, case-insensitive): `gemeinde` (AGS), `bezeichnung`, `menge`
(area in ha or count; also `flaeche_ha`, `anzahl`), `status`, `verfuegbar_ab`, `eigentum`,
`breite` and `laenge` (WGS84). Status and owner accept the German label or the key.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from indicators.importers.values_csv import RowProblem, decode, parse_number, parse_time

REQUIRED = ("gemeinde", "bezeichnung", "menge", "breite", "laenge")
ALIASES = {
    "ags": "gemeinde",
    "flaeche_ha": "menge",
    "fläche_ha": "menge",
    "anzahl": "menge",
    "eigentuemer": "eigentum",
    "eigentümer": "eigentum",
    "verfügbar_ab": "verfuegbar_ab",
    "lat": "breite",
    "lon": "laenge",
    "länge": "laenge",
}


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One entry as the file gives it, with its row number."""

    row: int
    ags: str
    designation: str
    quantity: Decimal
    status: str
    available_from: datetime.date | None
    owner_type: str
    latitude: Decimal
    longitude: Decimal


@dataclass
class ParsedRegister:
    """The rows read and the refused cells."""

    rows: list[RegisterRow] = field(default_factory=list)
    errors: list[RowProblem] = field(default_factory=list)
    sheet: str = ""  # the sheet of a workbook the rows come from


def _choice(text: str, choices: dict[str, str]) -> str | None:
    """The key of a choice given as key or label (case-insensitive)."""
    wanted = text.strip().casefold()
    for key, label in choices.items():
        if wanted in (key.casefold(), label.casefold()):
            return key
    return None


def _refuser(problems: list[RowProblem], row: int, sheet: str) -> Callable[[str, str], None]:
    """A function that records a refused cell of the row."""

    def refuse(column: str, message: str) -> None:
        problems.append(RowProblem(row, column, message, sheet))

    return refuse


def parse_register(
    data: bytes, statuses: dict[str, str], owners: dict[str, str], default_status: str
) -> ParsedRegister:
    """Parse a CSV file; `statuses` and `owners` map keys to German labels."""
    text, _encoding = decode(data)
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return parse_register_rows(enumerate(reader, start=1), statuses, owners, default_status)


def parse_register_rows(
    numbered: Iterable[tuple[int, list[str]]],
    statuses: dict[str, str],
    owners: dict[str, str],
    default_status: str,
    sheet: str = "",
) -> ParsedRegister:
    """Parse rows of text cells with their numbers, the first the header (CSV or a sheet of
    a workbook, whose name then appears in every message)."""
    result = ParsedRegister(sheet=sheet)
    rows = iter(numbered)
    first = next(rows, None)
    if first is None:
        result.errors.append(RowProblem(1, "", "Die Datei ist leer.", sheet))
        return result
    header_row, header = first
    names = [ALIASES.get(h.strip().casefold(), h.strip().casefold()) for h in header]
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        result.errors.append(
            RowProblem(
                header_row, ", ".join(missing), "Diese Spalten fehlen in der Kopfzeile.", sheet
            )
        )
        return result
    seen: dict[tuple[str, str], int] = {}
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        row = dict(zip(names, (cell.strip() for cell in cells), strict=False))
        problems: list[RowProblem] = []
        refuse = _refuser(problems, number, sheet)

        ags = row.get("gemeinde", "")
        if not (len(ags) == 8 and ags.isdigit()):
            refuse("gemeinde", f"„{ags}“ ist kein 8-stelliger Gemeindeschlüssel.")
        designation = row.get("bezeichnung", "")
        if not designation:
            refuse("bezeichnung", "Die Bezeichnung fehlt.")
        quantity = parse_number(row.get("menge", ""))
        if quantity is None or quantity < 0:
            refuse("menge", f"„{row.get('menge', '')}“ ist keine Zahl ≥ 0.")
        latitude, longitude = (
            parse_number(row.get("breite", "")),
            parse_number(row.get("laenge", "")),
        )
        if latitude is None:
            refuse("breite", f"„{row.get('breite', '')}“ ist keine Zahl.")
        if longitude is None:
            refuse("laenge", f"„{row.get('laenge', '')}“ ist keine Zahl.")
        status = _choice(row["status"], statuses) if row.get("status") else default_status
        if status is None:
            refuse("status", f"„{row['status']}“ ist kein bekannter Stand.")
        owner = _choice(row["eigentum"], owners) if row.get("eigentum") else "unknown"
        if owner is None:
            refuse("eigentum", f"„{row['eigentum']}“ ist keine bekannte Eigentumsart.")
        available_from = None
        if row.get("verfuegbar_ab"):
            parsed_time = parse_time(row["verfuegbar_ab"])
            if parsed_time is None:
                refuse("verfuegbar_ab", f"„{row['verfuegbar_ab']}“ ist kein Datum.")
            else:
                year, date = parsed_time
                available_from = date or datetime.date(year, 1, 1)
        key = (ags, designation.casefold())
        if key in seen and designation:
            refuse(
                "bezeichnung", f"Doppelt: dieselbe Bezeichnung steht schon in Zeile {seen[key]}."
            )
        seen.setdefault(key, number)
        if problems:
            result.errors.extend(problems)
            continue
        assert quantity is not None and latitude is not None and longitude is not None
        assert status is not None and owner is not None
        result.rows.append(
            RegisterRow(
                row=number,
                ags=ags,
                designation=designation[:300],
                quantity=quantity,
                status=status,
                available_from=available_from,
                owner_type=owner,
                latitude=latitude,
                longitude=longitude,
            )
        )
    return result
