"""Search benchmarks on KEK 2030 or a plan N times larger; prints JSON timings.

Usage: search.py [--scale N]; run through benchmarks/run.py (make bench), once per database.
Times a search as the search page runs it (terms, one ranked page with the total, highlighted
hits), the index update after one measure's change, the first search after that change, and
(at a scale above 1) a full rebuild.
BENCH_SEARCH_RUNS sets the runs (15; a rebuild runs a third as often).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "data" / "kek-2030" / "massnahmenkonzept.txt"
RUNS = int(os.environ.get("BENCH_SEARCH_RUNS", "15"))
QUERIES = ["Straße", "Monitoring Geoportal", "2-84"]


def timed(action: Callable[[], object], runs: int = RUNS) -> list[float]:
    """Wall-clock seconds of runs calls of action."""
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - start)
    return seconds


def main() -> None:
    """Import the plan at the given scale (which builds the index) and time the search."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    scale = parser.parse_args().scale
    sys.path.insert(0, str(ROOT))
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kekmonitor.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from plans.importers.kek_text import parse_document
    from plans.models import Measure, Plan
    from plans.services import CatalogueChange, import_parsed_plan
    from plans.synthetic import scaled_plan
    from search.index import rebuild_index, update_index
    from search.query import hits_for, parse_query, ranked_page

    call_command("migrate", verbosity=0)
    parsed = parse_document(DOCUMENT.read_text(encoding="utf-8"))
    import_parsed_plan(scaled_plan(parsed, scale) if scale > 1 else parsed, apply=True)
    plan = Plan.objects.get()
    suffix = "KEK 2030" if scale == 1 else f"{scale}× KEK 2030"

    def search(query: str) -> None:
        parsed_query = parse_query(plan, query)
        ids, _total = ranked_page(plan, parsed_query, 20, 0)
        hits_for(plan, parsed_query, 20, ids=ids)

    results: dict[str, list[float]] = {}
    for query in QUERIES:
        results[f"search “{query}”, first page, {suffix}"] = timed(partial(search, query))

    measure = Measure.objects.get(plan=plan, number="2-84")
    change = CatalogueChange.of(plan.pk, [measure])
    titles = iter(range(10**6))

    def change_one_measure() -> None:
        Measure.objects.filter(pk=measure.pk).update(title=f"Geänderter Titel {next(titles)}")
        start = time.perf_counter()
        update_index(change)
        seconds.append(time.perf_counter() - start)

    seconds: list[float] = []
    first_searches: list[float] = []
    for _ in range(RUNS):
        change_one_measure()
        # The first search after the change (issue 16: ≤ 2× a warm search): the write has
        # updated the index, so nothing is rebuilt here.
        first_searches.extend(timed(partial(search, QUERIES[0]), runs=1))
    results[f"search index update after one measure's change, {suffix}"] = seconds
    results[f"search “{QUERIES[0]}”, first after one measure's change, {suffix}"] = first_searches
    if scale > 1:
        results[f"search index full rebuild, {suffix}"] = timed(
            lambda: rebuild_index(plan.pk), runs=max(3, RUNS // 3)
        )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
