"""`kek export-site` of the whole KEK 2030 portal with two closed rounds (every measure reported).

Times one export (pages, open-data files, both reports as HTML and PDF, assets, Pagefind
index) into a new directory and prints its size. Usage: sitexport.py; prints JSON (timings in
seconds; rates: pages, files, MB). BENCH_SITE_RUNS sets the runs (1).
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "data" / "kek-2030" / "massnahmenkonzept.txt"
RUNS = int(os.environ.get("BENCH_SITE_RUNS", "1"))


def main() -> None:
    """Import KEK 2030, publish two full rounds, export the portal as a static site."""
    sys.path.insert(0, str(ROOT))
    work = Path(tempfile.mkdtemp())
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kekmonitor.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from plans.importers.kek_text import parse_document
    from plans.models import Plan
    from plans.services import import_parsed_plan
    from reports.example import full_round
    from sitexport.export import export_site

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.VAR_DIR = work / "var"
    call_command("migrate", verbosity=0)
    import_parsed_plan(parse_document(DOCUMENT.read_text(encoding="utf-8")), apply=True)
    plan = Plan.objects.get(slug=settings.KEK_PLAN_SLUG)
    full_round(plan, "Monitoring 2025", datetime.date(2025, 6, 30))
    full_round(plan, "Monitoring 2026", datetime.date(2026, 6, 30), shift=1)
    timings = []
    result = None
    for run in range(RUNS):
        start = time.perf_counter()
        result = export_site(plan, work / f"site-{run}")
        timings.append(time.perf_counter() - start)
    assert result is not None and not result.broken, result.broken if result else None
    print(
        json.dumps(
            {
                "static site KEK 2030 (2 closed rounds), whole export": timings,
                "rates": {
                    "static site KEK 2030: pages": result.pages,
                    "static site KEK 2030: files": result.files,
                    "static site KEK 2030: MB": result.size / 1_000_000,
                },
            }
        )
    )


if __name__ == "__main__":
    main()
