"""Shared data of the register tests: points inside Gemeinden, entries, register files."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from indicators.geometry import inner_point
from indicators.models import Municipality
from indicators.services import EntryData

GRIMMA, BORNA = "14729160", "14729050"


def point(ags: str) -> tuple[Decimal, Decimal]:
    """(latitude, longitude) inside the Gemeinde."""
    longitude, latitude = inner_point(Municipality.objects.get(ags=ags).boundary)
    return Decimal(f"{latitude:.6f}"), Decimal(f"{longitude:.6f}")


def data(ags: str = GRIMMA, designation: str = "Gewerbegebiet Nord", **changes: Any) -> EntryData:
    latitude, longitude = point(ags)
    fields: dict[str, Any] = {
        "ags": ags,
        "designation": designation,
        "quantity": Decimal("12.5"),
        "status": "available",
        "available_from": None,
        "owner_type": "municipal",
        "latitude": latitude,
        "longitude": longitude,
    }
    fields.update(changes)
    return EntryData(**fields)


def register_file(*rows: str) -> bytes:
    header = "gemeinde;bezeichnung;menge;status;verfuegbar_ab;eigentum;breite;laenge\n"
    return (header + "\n".join(rows) + "\n").encode("cp1252")


def grimma_row(name: str, area: str = "4,5", status: str = "verfügbar") -> str:
    latitude, longitude = point(GRIMMA)
    return f"{GRIMMA};{name};{area};{status};01.07.2027;privat;{latitude};{longitude}"
