"""Catalogue benchmarks on the database named by DATABASE_URL; prints JSON timings.

Run through benchmarks/run.py (make bench), which calls it once per database.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "data" / "kek-2030" / "massnahmenkonzept.txt"
RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def timed(action: Callable[[], object], prepare: Callable[[], object] | None = None) -> list[float]:
    """Wall-clock seconds of RUNS calls of action, each after an untimed prepare."""
    seconds = []
    for _ in range(RUNS):
        if prepare:
            prepare()
        start = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - start)
    return seconds


def main() -> None:
    """Measure reading, parsing, importing and exporting KEK 2030."""
    sys.path.insert(0, str(ROOT))
    if not os.environ.get("DATABASE_URL"):
        database = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kekmonitor.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from plans import models as catalogue
    from plans.exporters import export_placements
    from plans.importers.kek_text import parse_document
    from plans.models import Plan
    from plans.services import import_parsed_plan

    call_command("migrate", verbosity=0)

    def delete_all_plans() -> None:
        # Children first; raw deletes skip the collector (PROTECT) and signals.
        for model in (
            catalogue.MeasureFacet,
            catalogue.Step,
            catalogue.PlacementLead,
            catalogue.PlacementParticipant,
            catalogue.PlacementKeyProject,
            catalogue.Placement,
            catalogue.Measure,
            catalogue.Node,
            catalogue.Organisation,
            catalogue.KeyProject,
            catalogue.Plan,
        ):
            model.objects.all()._raw_delete(model.objects.db)

    text = DOCUMENT.read_text(encoding="utf-8")

    def read_and_split() -> None:
        DOCUMENT.read_text(encoding="utf-8").split("\n")

    def import_document() -> None:
        import_parsed_plan(parse_document(DOCUMENT.read_text(encoding="utf-8")), apply=True)

    results = {
        "read and split the file (floor)": timed(read_and_split),
        "parse the document": timed(lambda: parse_document(text)),
        "import into an empty database": timed(import_document, prepare=delete_all_plans),
    }
    plan = Plan.objects.get(slug="kek-2030")
    results["export placements as CSV"] = timed(lambda: export_placements(plan, "csv"))
    results["re-import unchanged (no writes)"] = timed(import_document)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
