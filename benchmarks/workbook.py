"""The Arbeitsmappe (Excel round trip): export and import of one office and of the whole plan.

Usage: workbook.py; prints JSON timings. KEK 2030 loaded by `kek import-document`, one open
round. "one office" is SLR (the office leading the most measures, 90 rows); "whole plan" is
the workbook of every reporting office (232 rows together). An import run reads, checks
(preview) and writes every row as a new draft (`start_reports`: one version each, in bulk) in
one transaction, which the benchmark rolls back so that every run starts alike. Target: < 1 s each.
BENCH_RUNS sets the runs (5).
"""

from __future__ import annotations

import datetime
import io
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "data" / "kek-2030" / "massnahmenkonzept.txt"
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


# CPU seconds of the benchmark process per name: on a shared machine the wall clock also
# counts the time other processes hold the cores; the CPU time does not.
CPU: dict[str, list[float]] = {}


def timed(name: str, action: Callable[[], object]) -> tuple[str, list[float]]:
    """Wall-clock seconds of RUNS calls of action (CPU seconds are kept in CPU)."""
    seconds, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    CPU[f"{name} (CPU time)"] = cpu
    return name, seconds


def main() -> None:
    """Set up KEK 2030 with an open round, then time export and import."""
    sys.path.insert(0, str(ROOT))
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kekmonitor.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from openpyxl import load_workbook

    from accounts.models import Membership
    from monitoring import services, workbook
    from monitoring.views.workbook import reporting_offices
    from monitoring.workbook import layout
    from plans.models import Organisation, Plan

    call_command("migrate", verbosity=0)
    call_command("import_document", str(DOCUMENT), stdout=io.StringIO())
    plan = Plan.objects.get(slug="kek-2030")
    user = get_user_model().objects.create_user("bench-koordination")
    Membership.objects.create(user=user, plan=plan, role=Membership.Role.COORDINATION)
    reporting_round = services.open_round(
        user, plan, "Monitoring 2026", datetime.date(2026, 6, 30), datetime.date(2026, 9, 30)
    )
    offices = [o for o in reporting_offices(plan) if workbook.office_items(reporting_round, o)]
    slr = next(o for o in offices if o.abbreviation == "SLR")

    def filled(office: Organisation) -> bytes:
        """The office's workbook with every row's status, progress and texts filled in."""
        book = load_workbook(io.BytesIO(workbook.build_workbook(reporting_round, office)))
        sheet = book[str(layout.REPORTS_SHEET)]
        status = services.ensure_default_statuses(plan)[1].label
        for row in range(2, sheet.max_row + 1):
            for key, value in (
                ("status", status),
                ("progress", 50),
                ("summary", "Sachstand " * 40),
                ("next_steps", "Nächste Schritte " * 20),
            ):
                sheet.cell(row=row, column=layout.COLUMN_KEYS.index(key) + 1, value=value)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    files = {office.pk: filled(office) for office in offices}

    def import_files(which: list[Organisation]) -> None:
        with transaction.atomic():
            for office in which:
                preview = workbook.preview_import(user, files[office.pk], "a.xlsx")
                assert not preview.errors and preview.changed, preview.errors[:3]
                workbook.apply_import(user, preview)
            transaction.set_rollback(True)

    rows_slr = len(workbook.office_items(reporting_round, slr))
    rows_all = sum(len(workbook.office_items(reporting_round, o)) for o in offices)
    one = f"one office (SLR, {rows_slr} rows)"
    whole = f"whole plan ({len(offices)} offices, {rows_all} rows)"
    results = dict(
        [
            timed(f"workbook export, {one}", lambda: workbook.build_workbook(reporting_round, slr)),
            timed(f"workbook import, {one}", lambda: import_files([slr])),
            timed(
                f"workbook export, {whole}",
                lambda: [workbook.build_workbook(reporting_round, o) for o in offices],
            ),
            timed(f"workbook import, {whole}", lambda: import_files(offices)),
        ]
    )
    print(json.dumps(results | CPU))


if __name__ == "__main__":
    main()
