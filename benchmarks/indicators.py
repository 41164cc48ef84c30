"""Indicators: the indicator and Gemeinde pages uncached, and an import of 100,000 values.

Usage: indicators.py; prints JSON timings. KEK 2030 with the 30 Gemeinden and 100 further
indicators, each with a value for the county and every Gemeinde in 33 years (102,300 values).
The import (parse, compare, write in one transaction) is reported beside the time the csv
module alone takes to read the same file. BENCH_PAGE_RUNS sets the page runs (15).
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "data" / "kek-2030" / "massnahmenkonzept.txt"
BOUNDARIES = ROOT / "data" / "landkreis-leipzig" / "gemeinden.geojson"
RUNS = int(os.environ.get("BENCH_PAGE_RUNS", "15"))
IMPORT_RUNS = 3
REGISTER_ENTRIES = 300
INDICATORS = 100
YEARS = range(1991, 2024)
PAGES = {
    "indicator (map, chart)": "/indikatoren/bevoelkerung/",
    "indicator list (102 indicators)": "/indikatoren/",
    "gemeinde (102 indicators)": "/gemeinden/14729160/",
    "gemeinden (list, map)": "/gemeinden/",
    "registers (list)": "/kataster/",
    f"register ({REGISTER_ENTRIES} entries, map)": "/kataster/gewerbeflaechen/",
}


def value_file(areas: list[str]) -> bytes:
    """The long format with a value per indicator, area and year."""
    lines = ["indicator;ags;year;value;source"]
    for number in range(INDICATORS):
        for ags in areas:
            for year in YEARS:
                lines.append(f"bench-{number};{ags};{year};{number * 7 + year % 97},5;Benchmark")
    return ("\n".join(lines) + "\n").encode("utf-8")


def add_register_entries(plan: Any) -> None:
    """The default registers and REGISTER_ENTRIES Gewerbeflächen spread over the Gemeinden."""
    from decimal import Decimal

    from django.utils import timezone

    from indicators.geometry import inner_point
    from indicators.models import Municipality, Register, RegisterEntry
    from indicators.services import ensure_default_registers, refresh_aggregate

    ensure_default_registers(plan)
    register = Register.objects.get(plan=plan, slug="gewerbeflaechen")
    municipalities = list(Municipality.objects.all())
    entries = []
    for number in range(REGISTER_ENTRIES):
        municipality = municipalities[number % len(municipalities)]
        longitude, latitude = inner_point(municipality.boundary)
        entries.append(
            RegisterEntry(
                register=register,
                municipality=municipality,
                designation=f"Fläche {number}",
                quantity=Decimal(number % 17) + Decimal("0.5"),
                latitude=Decimal(f"{latitude:.6f}"),
                longitude=Decimal(f"{longitude:.6f}"),
                changed_at=timezone.now(),
            )
        )
    RegisterEntry.objects.bulk_create(entries)
    refresh_aggregate(register)


def main() -> None:
    """Set up the data, time the import against the csv module, then the pages."""
    sys.path.insert(0, str(ROOT))
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kekmonitor.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from indicators.importers.municipalities import parse_boundaries
    from indicators.models import COUNTY_AGS, Indicator, IndicatorValue, Municipality
    from indicators.services import (
        define_indicator,
        import_values,
        load_municipalities,
        read_value_file,
        value_rules,
    )
    from plans.importers.kek_text import parse_document
    from plans.models import Plan
    from plans.services import import_parsed_plan

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    import_parsed_plan(parse_document(DOCUMENT.read_text(encoding="utf-8")), apply=True)
    plan = Plan.objects.get(slug=settings.KEK_PLAN_SLUG)
    load_municipalities(
        plan, parse_boundaries(BOUNDARIES.read_text(encoding="utf-8"), COUNTY_AGS), "g.geojson"
    )
    for number in range(INDICATORS):
        define_indicator(
            plan,
            slug=f"bench-{number}",
            name=f"Indikator {number}",
            unit="ha",
            goals=["1.1"],
            precision=1,
        )
    areas = [COUNTY_AGS, *Municipality.objects.values_list("ags", flat=True)]
    data = value_file(areas)
    results: dict[str, list[float]] = {}
    count = INDICATORS * len(areas) * len(YEARS)

    parse_only = []
    for _ in range(IMPORT_RUNS):
        start = time.perf_counter()
        for _row in csv.reader(io.StringIO(data.decode("utf-8")), delimiter=";"):
            pass
        parse_only.append(time.perf_counter() - start)
    results[f"indicators: csv module alone, {count} values"] = parse_only

    imports = []
    for _ in range(IMPORT_RUNS):
        IndicatorValue.objects.filter(indicator__slug__startswith="bench-").delete()
        start = time.perf_counter()
        parsed = read_value_file(data, value_rules(plan))
        preview = import_values(plan, parsed, file_name="bench.csv", apply=True)
        imports.append(time.perf_counter() - start)
        assert len(preview.new) == count, len(preview.new)
    results[f"indicators: import {count} values (parse, compare, write)"] = imports

    assert Indicator.objects.filter(plan=plan).count() == INDICATORS + 2
    add_register_entries(plan)
    client = Client()
    for name, url in PAGES.items():
        seconds = []
        for _ in range(RUNS):
            cache.clear()
            start = time.perf_counter()
            response = client.get(url)
            seconds.append(time.perf_counter() - start)
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code}")
        results[f"page {name}, uncached, KEK 2030"] = seconds
    print(json.dumps(results))


if __name__ == "__main__":
    main()
