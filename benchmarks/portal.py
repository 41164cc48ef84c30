"""Server time per portal page type, uncached, on KEK 2030 or a plan N times larger.

Three rows per page type: "uncached" renders with an empty cache (as after a restart or a
catalogue change, reading the whole plan's statuses for the roll-ups); "rendered, roll-ups
stored" renders the page again while the roll-ups' statuses of the plan's revision are kept;
"first render after one publication" publishes one report, then renders: the statuses kept
for the revision before are brought up to date for that measure (`plans.kept`).

Usage: portal.py [--scale N] [--page NAME …]; prints JSON timings. Run through benchmarks/run.py,
or alone for one page type, e.g. `portal.py --scale 100 --page "list, filtered"` (SQLite) or
`scripts/with-postgres.sh .venv/bin/python benchmarks/portal.py --page "measure ("` (PostgreSQL).
A NAME selects every page type whose name contains it; BENCH_PAGE_RUNS sets the runs (15).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "data" / "kek-2030" / "massnahmenkonzept.txt"
RUNS = int(os.environ.get("BENCH_PAGE_RUNS", "15"))
PAGES = {
    "start": "/",
    "field": "/handlungsfelder/2/",
    "goal": "/leitziele/1.3/",
    "sub-goal": "/teilziele/1.1.1/",
    "measure (2-84, 14 placements)": "/massnahmen/2-84/",
    "measure list": "/massnahmen/",
    "measure list, filtered": "/massnahmen/?feld=2&federfuehrung=SLR",
    "search": "/suche/?q=Radweg",
    "organisations": "/organisationen/",
    "organisation (SLR)": "/organisationen/SLR/",
    "key project (SV I.2)": "/schluesselvorhaben/sv-i-2/",
    "interlinks": "/verflechtungen/",
    "progress (2 rounds)": "/umsetzungsstand/",
    "measure list, by status": "/massnahmen/?status=in_progress",
}


def publish_two_rounds(plan: Any) -> None:
    """A full round (every measure published) and a newer one with every second measure.

    Status reads take the newest published report per measure: without reports the pages
    would time an empty table.
    """
    import datetime

    from django.utils import timezone

    from monitoring import services
    from monitoring.models import ReportingRound, StatusReport
    from plans.models import Measure, Organisation

    statuses = services.ensure_default_statuses(plan)
    office = Organisation.objects.filter(plan=plan, abbreviation="SLR").first()
    measures = list(Measure.objects.filter(plan=plan).order_by("pk"))
    now = timezone.now()
    for year, every in ((2025, 1), (2026, 2)):
        reporting_round = ReportingRound.objects.create(
            plan=plan,
            name=f"Monitoring {year}",
            reporting_date=datetime.date(year, 6, 30),
            deadline=datetime.date(year, 9, 30),
        )
        StatusReport.objects.bulk_create(
            (
                StatusReport(
                    reporting_round=reporting_round,
                    measure=measure,
                    organisation=office,
                    status=statuses[(position + year) % len(statuses)],
                    progress=position % 101,
                    summary="Sachstand",
                    state=StatusReport.State.PUBLISHED,
                    published_at=now,
                )
                for position, measure in enumerate(measures[::every])
            ),
            batch_size=2000,
        )


def publish_one(plan: Any, position: int) -> None:
    """Publish one more report in the newest round, as the coordination's publication does:
    in one transaction, with the plan's revision moved for that measure."""
    from django.db import transaction
    from django.utils import timezone

    from monitoring.models import ReportingRound, StatusOption, StatusReport
    from plans.models import Measure, Organisation
    from plans.services.revisions import mark_statuses_changed

    newest = ReportingRound.objects.filter(plan=plan).latest("reporting_date")
    measures = Measure.objects.filter(plan=plan).order_by("pk")
    measure = measures[(position * 7919) % measures.count()]
    statuses = list(StatusOption.objects.filter(plan=plan).order_by("order"))
    with transaction.atomic():
        report = StatusReport.objects.create(
            reporting_round=newest,
            measure=measure,
            # Not SLR, which reported the rounds before: one report per measure and office.
            organisation=Organisation.objects.filter(plan=plan).exclude(abbreviation="SLR")[0],
            status=statuses[position % len(statuses)],
            progress=position % 101,
            summary="Sachstand, neu",
            state=StatusReport.State.PUBLISHED,
            published_at=timezone.now(),
        )
        mark_statuses_changed(plan.pk, [report.measure_id])


def main() -> None:
    """Import the plan at the given scale and time each page type without the page cache."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--page", action="append", help="only page types whose name contains it")
    arguments = parser.parse_args()
    scale = arguments.scale
    pages = {
        name: url
        for name, url in PAGES.items()
        if not arguments.page or any(part in name for part in arguments.page)
    }
    if not pages:
        raise SystemExit(f"No page type matches {arguments.page}; known: {', '.join(PAGES)}")
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

    from plans.importers.kek_text import parse_document
    from plans.services import import_parsed_plan
    from plans.synthetic import scaled_plan

    # Not setup_test_environment(): its template instrumentation would inflate the timings.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The open-data files are built before the timing, and not again: their builder thread
    # would share this process's interpreter with the timed renders (a server builds them in
    # the background at nice 19; `benchmarks/downloads.py` times the build).
    settings.KEK_DOWNLOADS_REBUILD = "inline"
    call_command("migrate", verbosity=0)
    parsed = parse_document(DOCUMENT.read_text(encoding="utf-8"))
    import_parsed_plan(scaled_plan(parsed, scale) if scale > 1 else parsed, apply=True)
    from plans.models import Plan

    plan = Plan.objects.get(slug=settings.KEK_PLAN_SLUG)
    publish_two_rounds(plan)
    from portal import download_store

    download_store.request_rebuild(plan.pk)
    download_store.request_rebuild = lambda plan_id: None  # no builds during the timing
    from benchmarks.mixed_traffic import settle_statistics

    settle_statistics()  # PostgreSQL: statistics as autovacuum leaves them (without: 3× slower)
    client = Client()
    suffix = "KEK 2030" if scale == 1 else f"{scale}× KEK 2030"
    settings.KEK_PAGE_CACHE_SECONDS = 0  # every request renders its page
    results: dict[str, list[float]] = {}
    publications = itertools.count(1)  # each a different measure

    def timed(url: str) -> float:
        start = time.perf_counter()
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        return time.perf_counter() - start

    for name, url in pages.items():
        cold = []
        for _ in range(RUNS):
            cache.clear()  # as right after a publication: nothing of the new revision is kept
            cold.append(timed(url))
        # A page rendered while the statuses of the plan's revision are stored (monitoring/
        # rollups.py): every render after the first one following a publication.
        results[f"page {name}, uncached, {suffix}"] = cold
        results[f"page {name}, rendered, roll-ups stored, {suffix}"] = [
            timed(url) for _ in range(RUNS)
        ]
        after = []
        for _ in range(RUNS):
            publish_one(plan, next(publications))
            after.append(timed(url))
        results[f"page {name}, first render after one publication, {suffix}"] = after
    print(json.dumps(results))


if __name__ == "__main__":
    main()
