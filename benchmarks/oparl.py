"""OParl sync benchmark: KEK 2030 against a local OParl 1.1 server with many papers; prints JSON.

Usage: oparl.py; run through benchmarks/run.py (make bench), once per database. The server
(council/tests/oparl_server.py, on 127.0.0.1) lists BENCH_OPARL_PAPERS papers (5,000) on pages
of 100; every tenth names a measure of the plan. Times the preview (walk every page, match,
fetch the deciding agenda items), the first --apply and a repeated --apply (nothing new).
BENCH_OPARL_RUNS sets the runs (3).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "data" / "kek-2030" / "massnahmenkonzept.txt"
RUNS = int(os.environ.get("BENCH_OPARL_RUNS", "3"))
PAPERS = int(os.environ.get("BENCH_OPARL_PAPERS", "5000"))
PAGE = 100


def main() -> None:
    """Import KEK 2030, serve the papers, time preview, first apply and repeated apply."""
    sys.path.insert(0, str(ROOT))
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kekmonitor.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from council import oparl, services
    from council.models import CouncilPaper, LinkProposal
    from council.tests.oparl_server import SCHEMA, as_json, oparl_list, running_server
    from plans.importers.kek_text import parse_document
    from plans.models import Measure, Plan
    from plans.services import import_parsed_plan

    call_command("migrate", verbosity=0)
    import_parsed_plan(parse_document(DOCUMENT.read_text(encoding="utf-8")), apply=True)
    plan = Plan.objects.get(slug="kek-2030")
    numbers = list(Measure.objects.filter(plan=plan).values_list("number", flat=True))

    with running_server() as server:

        def paper(n: int) -> dict[str, Any]:
            named = f" (Maßnahme {numbers[n % len(numbers)]})" if n % 10 == 0 else ""
            return {
                "id": server.url(f"/oparl/v1/paper/{n}"),
                "type": f"{SCHEMA}Paper",
                "body": server.url("/oparl/v1/body/1"),
                "name": f"Vorlage Nummer {n}{named}",
                "reference": f"2026/{n:05d}",
                "date": "2026-03-11",
                "paperType": "Beschlussvorlage",
                "consultation": [
                    {
                        "id": server.url(f"/oparl/v1/consultation/{n}"),
                        "type": f"{SCHEMA}Consultation",
                        "agendaItem": server.url("/oparl/v1/agendaitem/7"),
                        "authoritative": True,
                    }
                ],
            }

        pages = -(-PAPERS // PAGE)
        for number in range(1, pages + 1):
            items = [paper(n) for n in range((number - 1) * PAGE, min(number * PAGE, PAPERS))]
            listing = oparl_list(
                server, items, page=number, pages=pages, path="/oparl/v1/body/1/papers"
            )
            server.routes[f"/oparl/v1/body/1/papers?page={number}"] = as_json(listing)
        server.routes["/oparl/v1/body/1/papers"] = server.routes["/oparl/v1/body/1/papers?page=1"]

        def preview() -> services.SyncPreview:
            return services.preview_sync(plan, server.endpoint, oparl.Client())

        results: dict[str, list[float]] = {
            f"OParl sync preview ({PAPERS} papers, {pages} pages)": [],
            f"OParl sync first --apply ({PAPERS // 10} matches)": [],
            "OParl sync repeated --apply (nothing new)": [],
        }
        names = list(results)
        for _ in range(RUNS):
            CouncilPaper.objects.all().delete()
            start = time.perf_counter()
            found = preview()
            results[names[0]].append(time.perf_counter() - start)
            start = time.perf_counter()
            services.apply_sync(plan, found)
            results[names[1]].append(time.perf_counter() - start)
            start = time.perf_counter()
            again = services.apply_sync(plan, found)
            results[names[2]].append(time.perf_counter() - start)
            assert again.proposals_created == 0 and again.papers_created == 0
        assert LinkProposal.objects.count() >= PAPERS // 10
    print(json.dumps(results))


if __name__ == "__main__":
    main()
