"""Restore drill: fill a plan, back it up, restore into an empty database, compare everything.

Runs on the database of the suite's run: SQLite, or PostgreSQL under scripts/with-postgres.sh
(then two scratch databases on the same server). The installation runs as `kek` processes
with their own DATABASE_URL and KEK_VAR_DIR, as in production; once per module.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
DOCUMENT = ROOT / "data" / "kek-2030" / "massnahmenkonzept.txt"
SUITE_DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRESQL = SUITE_DATABASE_URL.startswith(("postgres://", "postgresql://"))


class Installation:
    """One installation: a database and a var/ directory, driven through `kek`."""

    def __init__(self, database_url: str, var_dir: Path) -> None:
        self.var_dir = var_dir
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("KEK_", "SECRET_KEY", "DJANGO_", "DATABASE_URL"))
        }
        self.env.update({"DATABASE_URL": database_url, "KEK_VAR_DIR": str(var_dir)})

    def kek(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "kekmonitor.cli", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if check:
            assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        return result

    def snapshot(self) -> dict[str, Any]:
        output = self.kek("shell", "-c", (HERE / "drill_snapshot.py").read_text()).stdout
        return dict(json.loads(output.strip().splitlines()[-1]))


def _postgres_databases(names: list[str]) -> Iterator[list[str]]:
    import psycopg

    base = dj_database_url.parse(SUITE_DATABASE_URL)
    conninfo = {
        "host": base["HOST"],
        "port": base["PORT"],
        "user": base["USER"],
        "password": base["PASSWORD"] or None,
        "dbname": base["NAME"],
    }
    with psycopg.connect(**conninfo, autocommit=True) as connection:
        for name in names:
            connection.execute(f'CREATE DATABASE "{name}"')
    auth = base["USER"] + (f":{base['PASSWORD']}" if base["PASSWORD"] else "")
    yield [f"postgresql://{auth}@{base['HOST']}:{base['PORT']}/{name}" for name in names]
    with psycopg.connect(**conninfo, autocommit=True) as connection:
        for name in names:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def drill(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    base = tmp_path_factory.mktemp("drill")
    if ON_POSTGRESQL:
        suffix = uuid.uuid4().hex[:8]
        databases = _postgres_databases([f"drill_source_{suffix}", f"drill_target_{suffix}"])
        source_url, target_url = next(databases)
    else:
        source_url = f"sqlite:///{base / 'source' / 'kek.sqlite3'}"
        target_url = f"sqlite:///{base / 'target' / 'kek.sqlite3'}"
    source = Installation(source_url, base / "source")
    target = Installation(target_url, base / "target")
    (base / "source").mkdir()
    (base / "target").mkdir()
    (base / "source" / "uploads").mkdir()
    (base / "source" / "uploads" / "anlage.txt").write_text("eine hochgeladene Datei\n")
    source.env["SECRET_KEY_FILE"] = str(base / "source" / "secret_key")
    (base / "source" / "secret_key").write_text(secrets.token_urlsafe(60))

    source.kek("migrate", "--noinput", "-v", "0")
    source.kek("import-document", str(DOCUMENT), "--plan", "kek-2030")
    source.kek("demo-accounts")
    source.kek("demo-monitoring")
    assert "filled" in source.kek("shell", "-c", (HERE / "drill_fill.py").read_text()).stdout
    before = source.snapshot()
    archive = base / "backup.tar.gz"
    backup = source.kek("backup", "-o", str(archive))
    restore = target.kek("restore", str(archive))
    after = target.snapshot()
    yield {
        "before": before,
        "after": after,
        "archive": archive,
        "backup": backup,
        "restore": restore,
        "source": source,
        "target": target,
    }
    if ON_POSTGRESQL:
        next(databases, None)


def test_the_drill_filled_rounds_reports_history_and_comments(drill: dict[str, Any]) -> None:
    counts = drill["before"]["counts"]
    assert counts["monitoring.ReportingRound"] == 2
    assert counts["monitoring.StatusReport"] >= 6
    assert counts["monitoring.HistoricalStatusReport"] > counts["monitoring.StatusReport"]
    assert counts["monitoring.Comment"] >= 2
    assert counts["plans.Placement"] > 200


def test_every_table_count_is_the_same_after_restore(drill: dict[str, Any]) -> None:
    assert drill["after"]["counts"] == drill["before"]["counts"]


def test_every_export_is_the_same_after_restore(drill: dict[str, Any]) -> None:
    assert drill["before"]["exports"]
    assert drill["after"]["exports"] == drill["before"]["exports"]


def test_files_and_the_secret_key_are_restored(drill: dict[str, Any]) -> None:
    target_var = drill["target"].var_dir
    assert (target_var / "uploads" / "anlage.txt").read_text() == "eine hochgeladene Datei\n"
    source_key = (drill["source"].var_dir / "secret_key").read_text()
    assert (target_var / "secret_key").read_text() == source_key
    assert drill["archive"].stat().st_mode & 0o077 == 0


def test_a_restore_into_a_database_that_is_not_empty_is_refused(drill: dict[str, Any]) -> None:
    result = drill["target"].kek("restore", str(drill["archive"]), check=False)
    assert result.returncode == 1
    assert "nicht leer" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_that_is_no_backup_is_one_german_line(drill: dict[str, Any], tmp_path: Path) -> None:
    bogus = tmp_path / "kein-backup.tar.gz"
    bogus.write_text("nichts")
    result = drill["target"].kek("restore", str(bogus), "--force", check=False)
    assert result.returncode == 1
    assert "keine Sicherung" in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_a_restore_drops_what_the_shared_cache_derived_from_the_database_before(
    drill: dict[str, Any],
) -> None:
    """Kept results are keyed by plan revisions, which the restored database counts again."""
    from operations.tests.servers import free_port, port_open, require_binary, stop, wait_until

    redis_server = require_binary("redis-server", "redis-server")
    port = free_port()
    redis = subprocess.Popen(
        [redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    target = drill["target"]
    try:
        wait_until(lambda: port_open(port), redis, "redis-server")
        target.env["CACHE_URL"] = f"redis://127.0.0.1:{port}/0"
        script = "from django.core.cache import cache; cache.set('plans:kept:x', 1); print('set')"
        assert "set" in target.kek("shell", "-c", script).stdout
        target.kek("restore", "--force", str(drill["archive"]))
        script = "from django.core.cache import cache; print(cache.get('plans:kept:x'))"
        assert target.kek("shell", "-c", script).stdout.strip().splitlines()[-1] == "None"
    finally:
        target.env.pop("CACHE_URL", None)
        stop(redis)
