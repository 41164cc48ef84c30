"""Load the shipped Gemeinden and their first two indicators: population and density."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from indicators.importers.municipalities import ParsedBoundaries
from indicators.importers.values_csv import ParsedValue, ParsedValues
from indicators.models import COUNTY_AGS, Direction, Indicator, IndicatorValue, Municipality
from plans.models import Plan

from .definitions import define_indicator
from .values import ImportPreview, import_values

POPULATION = "bevoelkerung"
DENSITY = "bevoelkerungsdichte"
BKG_LICENCE = "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)"
BKG_SOURCE = (
    "BKG, Verwaltungsgebiete 1:250 000 mit Einwohnerzahlen (VG250-EW), © GeoBasis-DE / BKG "
    "(2025); Einwohnerzahlen der Statistischen Ämter des Bundes und der Länder"
)


@dataclass(frozen=True, slots=True)
class LoadResult:
    """How many Gemeinden were added or changed, and what the value import did."""

    added: int
    changed: int
    values: ImportPreview


def _ensure_indicators(plan: Plan) -> None:
    """Define the two indicators once; later edits of the coordination are left alone."""
    existing = set(
        Indicator.objects.filter(plan=plan, slug__in=[POPULATION, DENSITY]).values_list(
            "slug", flat=True
        )
    )
    if POPULATION not in existing:
        define_indicator(
            plan,
            slug=POPULATION,
            name="Einwohnerinnen und Einwohner",
            short_name="Einwohner",
            unit="Personen",
            direction=Direction.UP,
            definition="Bevölkerung am 31.12. des Jahres (Fortschreibung des Bevölkerungsstandes).",
            source=BKG_SOURCE,
            licence=BKG_LICENCE,
            precision=0,
            goals=[code for code in ["1.2"] if plan.nodes.filter(code=code, level=2).exists()],
        )
    if DENSITY not in existing:
        define_indicator(
            plan,
            slug=DENSITY,
            name="Bevölkerungsdichte",
            unit="Personen je km²",
            direction=Direction.NONE,
            definition=(
                "Einwohnerinnen und Einwohner am 31.12. je km² Katasterfläche "
                "(für den Landkreis: Summe der Gemeinden)."
            ),
            source=BKG_SOURCE,
            licence=BKG_LICENCE,
            precision=1,
            goals=[code for code in ["2.1"] if plan.nodes.filter(code=code, level=2).exists()],
        )


@transaction.atomic
def load_municipalities(plan: Plan, boundaries: ParsedBoundaries, file_name: str) -> LoadResult:
    """Add or update the Gemeinden and import their population and density (idempotent)."""
    known = {m.ags: m for m in Municipality.objects.all()}
    added = changed = 0
    for parsed in boundaries.municipalities:
        fields = {
            "name": parsed.name,
            "area_km2": parsed.area_km2,
            "area_date": parsed.area_date,
            "boundary": parsed.rings,
        }
        row = known.get(parsed.ags)
        if row is None:
            Municipality.objects.create(ags=parsed.ags, **fields)
            added += 1
        elif any(getattr(row, key) != value for key, value in fields.items()):
            for key, value in fields.items():
                setattr(row, key, value)
            row.save()
            changed += 1
    _ensure_indicators(plan)
    values = ParsedValues("geojson", "UTF-8", "")
    people = sum(m.population for m in boundaries.municipalities)
    area = sum((m.area_km2 for m in boundaries.municipalities), Decimal(0))
    for row_number, m in enumerate(boundaries.municipalities, start=1):
        year, date = m.population_date.year, m.population_date
        values.values += [
            ParsedValue(
                POPULATION, m.ags, year, date, Decimal(m.population), "VG250-EW", row_number
            ),
            ParsedValue(
                DENSITY,
                m.ags,
                year,
                date,
                Decimal(m.population) / m.area_km2,
                "VG250-EW",
                row_number,
            ),
        ]
    if boundaries.municipalities:
        date = boundaries.municipalities[0].population_date
        values.values += [
            ParsedValue(POPULATION, COUNTY_AGS, date.year, date, Decimal(people), "Summe", 0),
            ParsedValue(DENSITY, COUNTY_AGS, date.year, date, Decimal(people) / area, "Summe", 0),
        ]
    preview = import_values(
        plan, values, file_name=file_name, apply=True, origin=IndicatorValue.Origin.SETUP
    )
    return LoadResult(added, changed, preview)
