"""REST API benchmarks on KEK 2030 with a published report per second measure; prints JSON.

Usage: api.py; run through benchmarks/run.py (make bench), once per database. Times, through
the whole middleware stack (Django's test client), a page of the measure list (50 with their
statuses), a filtered page, one measure with its placements, every status in one page of 200
(two pages: 233 measures), and a conditional GET answered with 304. BENCH_API_RUNS sets the
runs (20).
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "data" / "kek-2030" / "massnahmenkonzept.txt"
RUNS = int(os.environ.get("BENCH_API_RUNS", "20"))


def timed(action: Callable[[], object], runs: int = RUNS) -> list[float]:
    """Wall-clock seconds of runs calls of action."""
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - start)
    return seconds


def main() -> None:
    """Import KEK 2030, publish reports on every second measure, time the API's reads."""
    sys.path.insert(0, str(ROOT))
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kekmonitor.settings")
    os.environ.setdefault("KEK_API_RATE_LIMIT", "1000000")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from monitoring.models import ReportingRound, StatusReport
    from monitoring.services import ensure_default_statuses
    from plans.importers.kek_text import parse_document
    from plans.models import Measure, Organisation, Plan
    from plans.services import import_parsed_plan, mark_plan_changed

    setup_test_environment()
    call_command("migrate", verbosity=0)
    import_parsed_plan(parse_document(DOCUMENT.read_text(encoding="utf-8")), apply=True)
    plan = Plan.objects.get(slug="kek-2030")
    statuses = ensure_default_statuses(plan)
    office = Organisation.objects.get(plan=plan, abbreviation="SLR")
    round_ = ReportingRound.objects.create(
        plan=plan,
        name="Monitoring 2026",
        reporting_date=datetime.date(2026, 6, 30),
        deadline=datetime.date(2026, 9, 30),
    )
    measures = list(Measure.objects.filter(plan=plan).in_number_order())[::2]
    StatusReport.objects.bulk_create(
        StatusReport(
            reporting_round=round_,
            measure=measure,
            organisation=office,
            status=statuses[i % len(statuses)],
            progress=i % 101,
            state=StatusReport.State.PUBLISHED,
            published_at=timezone.now(),
        )
        for i, measure in enumerate(measures)
    )
    mark_plan_changed(plan.pk)
    client = Client(HTTP_HOST="127.0.0.1")

    def get(url: str, **headers: Any) -> Callable[[], object]:
        def call() -> None:
            response = client.get(url, **headers)
            assert response.status_code in (200, 304), (url, response.status_code)

        return call

    etag = client.get("/api/v1/measures/")["ETag"]
    results = {
        "API measure list, first page (50)": timed(get("/api/v1/measures/")),
        "API measure list, field 2 and a status": timed(
            get("/api/v1/measures/?feld=2&status=in_progress")
        ),
        "API measure 2-84 with placements": timed(get("/api/v1/measures/2-84/")),
        "API all statuses (2 pages of 200)": timed(
            lambda: (
                get("/api/v1/statuses/?page_size=200")(),
                get("/api/v1/statuses/?page_size=200&page=2")(),
            )
        ),
        "API conditional GET answered 304": timed(
            get("/api/v1/measures/", HTTP_IF_NONE_MATCH=etag)
        ),
    }
    print(json.dumps(results))


if __name__ == "__main__":
    main()
