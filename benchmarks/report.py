"""The public PDF progress report of KEK 2030 with a full round (every measure published).

Times the whole path (build_report + HTML + WeasyPrint) against WeasyPrint alone rendering the
already-rendered HTML in the same run, and prints the ratio and the page count.
Usage: report.py; prints JSON (timings in seconds, rates: ratio and pages). BENCH_REPORT_RUNS
sets the runs (3).
"""

from __future__ import annotations

import datetime
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "data" / "kek-2030" / "massnahmenkonzept.txt"
RUNS = int(os.environ.get("BENCH_REPORT_RUNS", "3"))


def main() -> None:
    """Import KEK 2030, publish two full rounds, time the public PDF of the newer one."""
    sys.path.insert(0, str(ROOT))
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kekmonitor.settings")
    import django
    import pikepdf

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from plans.importers.kek_text import parse_document
    from plans.models import Plan
    from plans.services import import_parsed_plan
    from reports.content import build_report
    from reports.example import full_round
    from reports.rendering import html_to_pdf, render_html

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    import_parsed_plan(parse_document(DOCUMENT.read_text(encoding="utf-8")), apply=True)
    plan = Plan.objects.get(slug=settings.KEK_PLAN_SLUG)
    full_round(plan, "Monitoring 2025", datetime.date(2025, 6, 30))
    reporting_round = full_round(plan, "Monitoring 2026", datetime.date(2026, 6, 30), shift=1)
    title = "Umsetzungsbericht Monitoring 2026"
    # Warm up once (WeasyPrint's import, fonts, templates): every timed run starts equal.
    html_to_pdf(render_html(build_report(plan, reporting_round)), title)
    total, weasyprint_alone, content = [], [], []
    pdf = b""
    for _ in range(RUNS):
        start = time.perf_counter()
        html = render_html(build_report(plan, reporting_round))
        content.append(time.perf_counter() - start)
        pdf = html_to_pdf(html, title)
        total.append(time.perf_counter() - start)
        start = time.perf_counter()
        html_to_pdf(html, title)
        weasyprint_alone.append(time.perf_counter() - start)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        pages = len(document.pages)
    ratio = sum(total) / sum(weasyprint_alone)
    print(
        json.dumps(
            {
                "report PDF KEK 2030 full round, total": total,
                "report PDF KEK 2030 full round, WeasyPrint alone": weasyprint_alone,
                "report PDF KEK 2030 full round, build_report + HTML": content,
                "rates": {
                    "report PDF: total / WeasyPrint alone": ratio,
                    "report PDF: pages": pages,
                },
            }
        )
    )


if __name__ == "__main__":
    main()
