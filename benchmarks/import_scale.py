"""Import KEK 2030 at 1×, 100× (and with --large 1000×) into an empty database; prints JSON.

The 1000× plan (307,000 placements) failed on SQLite with "too many SQL variables" before the
import wrote in chunks (plans/query_chunks.py). It takes minutes, so it runs only with --large
(or BENCH_IMPORT_LARGE=1); make bench runs 1× and 100×. Timings in seconds: each import of a
scale into an empty database (BENCH_IMPORT_RUNS runs at 1×, one at 100× and 1000×), and a
re-import of the unchanged plan at the largest scale (reads and compares, writes nothing).
On a shared machine the wall-clock time depends on the load; the CPU time of the benchmark's own
process (the import's Python side; PostgreSQL's server work is not in it) is printed beside it.
Run through benchmarks/run.py, or alone: `import_scale.py --large` (SQLite) or
`scripts/with-postgres.sh .venv/bin/python benchmarks/import_scale.py --large`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "data" / "kek-2030" / "massnahmenkonzept.txt"
RUNS = int(os.environ.get("BENCH_IMPORT_RUNS", "3"))


def main() -> None:
    """Time the import of the plan at each scale into an empty database."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", action="store_true", help="also 1000× (minutes)")
    parser.add_argument("--scale", type=int, action="append", help="only these scales")
    arguments = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if not os.environ.get("DATABASE_URL"):
        database = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kekmonitor.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from plans import models as catalogue
    from plans.importers.kek_text import parse_document
    from plans.services import import_parsed_plan
    from plans.synthetic import scaled_plan
    from search.models import SearchEntry

    call_command("migrate", verbosity=0)

    def delete_all_plans() -> None:
        # Children first; raw deletes skip the collector (PROTECT) and signals.
        for model in (
            SearchEntry,
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
            model._base_manager.all()._raw_delete(model._base_manager.db)

    parsed = parse_document(DOCUMENT.read_text(encoding="utf-8"))
    large = arguments.large or os.environ.get("BENCH_IMPORT_LARGE") == "1"
    scales = arguments.scale or ([1, 100, 1000] if large else [1, 100])
    results: dict[str, list[float]] = {}
    for scale in scales:
        plan = scaled_plan(parsed, scale) if scale > 1 else parsed
        name = f"import {scale}× KEK 2030 ({len(plan.placements):,} placements) into an empty db"
        results[name], results[f"{name}, CPU of this process"] = [], []
        for _ in range(RUNS if scale == 1 else 1):
            delete_all_plans()
            start, cpu = time.perf_counter(), time.process_time()
            import_parsed_plan(plan, apply=True)
            results[name].append(time.perf_counter() - start)
            results[f"{name}, CPU of this process"].append(time.process_time() - cpu)
            print(f"{name}: {results[name][-1]:.1f} s", file=sys.stderr, flush=True)
    start = time.perf_counter()
    import_parsed_plan(plan, apply=True)
    results[f"re-import {scales[-1]}× KEK 2030 unchanged"] = [time.perf_counter() - start]
    print(json.dumps(results))


if __name__ == "__main__":
    main()
