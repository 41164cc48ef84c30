"""Read the Gemeinden (AGS, name, population, area, boundary) from the shipped GeoJSON."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


class BoundaryFileError(ValueError):
    """The GeoJSON file cannot be read as Gemeinden (German message)."""


@dataclass(frozen=True, slots=True)
class ParsedMunicipality:
    """One Gemeinde as the file gives it."""

    ags: str
    name: str
    population: int
    population_date: datetime.date
    area_km2: Decimal
    area_date: datetime.date
    rings: list[list[list[float]]]


@dataclass(frozen=True, slots=True)
class ParsedBoundaries:
    """All Gemeinden of the file and the attribution it carries."""

    municipalities: list[ParsedMunicipality]
    attribution: str


def _date(value: Any, what: str, index: int) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise BoundaryFileError(f"Gemeinde {index}: {what} „{value}“ ist kein Datum.") from None


def parse_boundaries(text: str, county_ags: str) -> ParsedBoundaries:
    """Parse a FeatureCollection of Polygons with ags/name/population/area_km2 properties."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BoundaryFileError(f"Kein gültiges GeoJSON ({error}).") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundaryFileError("Erwartet wird eine GeoJSON-FeatureCollection.")
    municipalities = []
    for index, feature in enumerate(data.get("features", []), start=1):
        properties = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        ags = str(properties.get("ags", ""))
        if len(ags) != 8 or not ags.isdigit() or not ags.startswith(county_ags):
            raise BoundaryFileError(f"Gemeinde {index}: AGS „{ags}“ liegt nicht im Kreis.")
        if geometry.get("type") != "Polygon":
            raise BoundaryFileError(f"Gemeinde {ags}: Geometrie ist kein Polygon.")
        try:
            population = int(properties["population"])
            area = Decimal(str(properties["area_km2"]))
        except (KeyError, ValueError, TypeError):
            raise BoundaryFileError(
                f"Gemeinde {ags}: Einwohnerzahl oder Fläche fehlt oder ist keine Zahl."
            ) from None
        municipalities.append(
            ParsedMunicipality(
                ags=ags,
                name=str(properties.get("name", "")).strip() or ags,
                population=population,
                population_date=_date(properties.get("population_date"), "Stichtag", index),
                area_km2=area,
                area_date=_date(properties.get("area_date"), "Flächenstand", index),
                rings=geometry["coordinates"],
            )
        )
    if len({m.ags for m in municipalities}) != len(municipalities):
        raise BoundaryFileError("Ein AGS kommt mehrfach vor.")
    return ParsedBoundaries(municipalities, str(data.get("attribution", "")))
