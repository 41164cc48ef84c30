"""Backup and restore: `kek backup` and `kek restore` of KEK 2030 with ten reporting rounds.

Usage: backup.py; prints JSON timings. The database (SQLite in a temporary directory, or
DATABASE_URL under scripts/with-postgres.sh) gets KEK 2030 and ten closed rounds with a
published report for every measure (about 2,000 reports and their history); then BACKUP_RUNS
backups and as many restores, each into a new empty database, through the `kek` command as
in production.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "data" / "kek-2030" / "massnahmenkonzept.txt"
RUNS = int(os.environ.get("BACKUP_RUNS", "3"))
ROUNDS = 10


def fill() -> int:
    """KEK 2030 with ten closed rounds, a published report per led measure; the report count."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from accounts.models import Membership
    from monitoring import services
    from monitoring.models import StatusOption, StatusReport
    from monitoring.policies import lead_organisations
    from plans.importers.kek_text import parse_document
    from plans.models import Measure, Plan
    from plans.services import import_parsed_plan

    call_command("migrate", verbosity=0)
    import_parsed_plan(parse_document(DOCUMENT.read_text(encoding="utf-8")), apply=True)
    plan = Plan.objects.get(slug=settings.KEK_PLAN_SLUG)
    coordination = get_user_model().objects.create_user("bench-koordination")
    Membership.objects.create(user=coordination, plan=plan, role=Membership.Role.COORDINATION)
    leads = [(m, lead_organisations(m).first()) for m in Measure.objects.filter(plan=plan)]
    measures = [(measure, lead) for measure, lead in leads if lead is not None]
    for number in range(ROUNDS):
        year = 2020 + number
        reporting_round = services.open_round(
            coordination,
            plan,
            f"Runde {year}",
            datetime.date(year, 6, 30),
            datetime.date(year, 9, 30),
        )
        statuses = list(StatusOption.objects.filter(plan=plan))
        for index, (measure, lead) in enumerate(measures):
            report = services.start_report(coordination, reporting_round, measure, lead)
            data = {
                "status": statuses[(index + number) % len(statuses)],
                "progress": (index * 7 + number * 10) % 101,
                "summary": f"Sachstand {year} der Maßnahme {measure.number}.",
            }
            services.save_report(coordination, report, data, report.version)
            services.submit_report(coordination, report)
            services.approve_report(coordination, report)
        services.publish_round(coordination, reporting_round)
        services.close_round(coordination, reporting_round)
    return StatusReport.objects.count()


def empty_database_url(source_url: str, work: Path, number: int) -> str:
    """A new empty database beside the source one."""
    if source_url.startswith("sqlite"):
        return f"sqlite:///{work / f'restore-{number}.sqlite3'}"
    import psycopg

    base, _, _name = source_url.rpartition("/")
    name = f"bench_restore_{number}"
    with psycopg.connect(source_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def timed_kek(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "kekmonitor.cli", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return (time.perf_counter() - started) * 1000


def main() -> None:
    """Fill once, then time backups and restores."""
    sys.path.insert(0, str(ROOT))
    work = Path(tempfile.mkdtemp(prefix="kek-bench-backup-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work / 'source.sqlite3'}")
    os.environ["KEK_VAR_DIR"] = str(work / "var")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kekmonitor.settings")
    reports = fill()
    source_url = os.environ["DATABASE_URL"]
    env = dict(os.environ)
    backups, restores = [], []
    archive = work / "backup.tar.gz"
    for number in range(RUNS):
        backups.append(timed_kek(env, "backup", "-o", str(archive)))
        target = {
            **env,
            "DATABASE_URL": empty_database_url(source_url, work, number),
            "KEK_VAR_DIR": str(work / f"var-{number}"),
        }
        restores.append(timed_kek(target, "restore", str(archive)))
    size = archive.stat().st_size // 1024
    print(
        json.dumps(
            {
                f"kek backup ({reports} reports, {size} KB)": backups,
                f"kek restore ({reports} reports)": restores,
            }
        )
    )


if __name__ == "__main__":
    main()
