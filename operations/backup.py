"""Backup and restore of a whole installation: database, files under var/ and the secret key.

A backup is one tar.gz archive (mode 0600, it holds the secret key):
- `manifest.json` – format, version, database engine, time of the backup;
- `database.sqlite3` (SQLite's online backup API: consistent while the site is running) or
  `database.pgdump` (pg_dump in its custom format, restored with pg_restore);
- `var/…` – the files under KEK_VAR_DIR (uploads, generated secrets), without the collected
  static files (`kek collectstatic` makes them again), without the open-data files (`kek
  build-downloads` or the first download makes them again) and without the SQLite database;
- `secret_key` – the SECRET_KEY in use (sessions and signed links stay valid after a restore).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "kek-monitor-backup"
VERSION = 1
SQLITE_ENGINE = "django.db.backends.sqlite3"
POSTGRESQL_ENGINE = "django.db.backends.postgresql"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is German and for the user."""


@dataclass
class RestoreResult:
    """What a restore wrote."""

    engine: str
    created_at: str
    files: int
    secret_key_restored: bool


def _database() -> dict[str, Any]:
    database: dict[str, Any] = dict(settings.DATABASES["default"])
    if database["ENGINE"] not in {SQLITE_ENGINE, POSTGRESQL_ENGINE}:
        raise BackupError(_("Only SQLite and PostgreSQL databases can be backed up."))
    return database


def _pg_environment(database: dict[str, Any]) -> dict[str, str]:
    """libpq's environment for pg_dump/pg_restore (the password never on the command line)."""
    env = dict(os.environ)
    for key, name in [("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")]:
        if database.get(key):
            env[name] = str(database[key])
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    env["PGDATABASE"] = str(database["NAME"])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(
            _("%(program)s not found (Debian: apt-get install postgresql-client).")
            % {"program": command[0]}
        ) from None
    if result.returncode != 0:
        last_line = (result.stderr.strip().splitlines() or ["?"])[-1]
        raise BackupError(
            _("%(program)s failed: %(reason)s") % {"program": command[0], "reason": last_line}
        )


def _var_files() -> list[Path]:
    """The files under var/ that belong in a backup."""
    var_dir = Path(settings.VAR_DIR)
    if not var_dir.is_dir():
        return []
    skipped = {Path(settings.STATIC_ROOT).resolve(), Path(settings.KEK_DOWNLOADS_DIR).resolve()}
    database = settings.DATABASES["default"]
    database_files: set[Path] = set()
    if database["ENGINE"] == SQLITE_ENGINE:
        name = Path(str(database["NAME"])).resolve()
        database_files = {name, Path(f"{name}-wal"), Path(f"{name}-shm"), Path(f"{name}-journal")}
    files = []
    for path in sorted(var_dir.rglob("*")):
        resolved = path.resolve()
        if not path.is_file() or resolved in database_files:
            continue
        if any(resolved.is_relative_to(root) for root in skipped):
            continue
        files.append(path)
    return files


def create_backup(target: Path) -> dict[str, Any]:
    """Write the backup archive to target; return its manifest."""
    database = _database()
    engine = "sqlite" if database["ENGINE"] == SQLITE_ENGINE else "postgresql"
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "engine": engine,
        "created_at": timezone.now().isoformat(),
    }
    with tempfile.TemporaryDirectory(prefix="kek-backup-") as work:
        dump = Path(work) / ("database.sqlite3" if engine == "sqlite" else "database.pgdump")
        if engine == "sqlite":
            source = sqlite3.connect(str(database["NAME"]))
            copy = sqlite3.connect(dump)
            try:
                source.backup(copy)
            finally:
                copy.close()
                source.close()
        else:
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "-f", str(dump)],
                _pg_environment(database),
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        with (
            open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as raw,
            tarfile.open(fileobj=raw, mode="w:gz") as archive,
        ):
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
            archive.add(dump, arcname=dump.name)
            var_dir = Path(settings.VAR_DIR)
            for path in _var_files():
                archive.add(path, arcname=f"var/{path.relative_to(var_dir).as_posix()}")
            _add_bytes(archive, "secret_key", settings.SECRET_KEY.encode())
        partial.replace(target)
    return manifest


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def database_is_empty() -> bool:
    """True if the configured database has no tables yet."""
    with connections["default"].cursor() as cursor:
        return not connections["default"].introspection.table_names(cursor)


def restore_backup(source: Path, *, force: bool = False) -> RestoreResult:
    """Restore the archive into the configured (empty, unless force) database and var/."""
    not_a_backup = _("File “%(path)s” is not a backup of KEK-Monitor.") % {"path": source}
    if not source.is_file():
        raise BackupError(_("File “%(path)s” not found.") % {"path": source})
    try:
        with (
            tarfile.open(source, mode="r:gz") as archive,
            tempfile.TemporaryDirectory(prefix="kek-restore-") as work,
        ):
            return _restore_archive(archive, Path(work), force, not_a_backup)
    except (tarfile.TarError, EOFError):
        raise BackupError(not_a_backup) from None


def _restore_archive(
    archive: tarfile.TarFile, work: Path, force: bool, not_a_backup: str
) -> RestoreResult:
    database = _database()
    try:
        member = archive.extractfile("manifest.json")
        manifest = json.loads(member.read()) if member else {}
    except (KeyError, ValueError):
        raise BackupError(not_a_backup) from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(not_a_backup)
    engine = "sqlite" if database["ENGINE"] == SQLITE_ENGINE else "postgresql"
    if manifest["engine"] != engine:
        raise BackupError(
            _("The backup is of a %(backup)s database; this installation uses %(current)s.")
            % {"backup": manifest["engine"], "current": engine}
        )
    if not force and not database_is_empty():
        raise BackupError(
            _("The database is not empty. Restore into a new, empty database (or use --force).")
        )
    archive.extractall(work, filter="data")
    dump = work / ("database.sqlite3" if engine == "sqlite" else "database.pgdump")
    connections.close_all()
    if engine == "sqlite":
        backup = sqlite3.connect(dump)
        target = sqlite3.connect(str(database["NAME"]))
        try:
            backup.backup(target)
        finally:
            target.close()
            backup.close()
    else:
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
        if force:
            command += ["--clean", "--if-exists"]
        _run([*command, "--dbname", str(database["NAME"]), str(dump)], _pg_environment(database))
    files = _restore_var(work / "var")
    secret_key_restored = _restore_secret((work / "secret_key").read_text(encoding="utf-8"))
    # The cache holds only what is derived from the database, under the plan revisions it
    # was derived at (plans/kept.py, the portal's pages); the restored database counts those
    # numbers again for other contents. Everything cached is dropped (Redis is shared by the
    # servers; the sessions live in the database).
    cache.clear()
    return RestoreResult(
        engine=engine,
        created_at=str(manifest["created_at"]),
        files=files,
        secret_key_restored=secret_key_restored,
    )


def _restore_var(source: Path) -> int:
    """Copy the backed-up var/ files into place; return how many."""
    if not source.is_dir():
        return 0
    var_dir = Path(settings.VAR_DIR)
    count = 0
    for path in sorted(source.rglob("*")):
        if path.is_file():
            target = var_dir / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            count += 1
    return count


def _restore_secret(secret: str) -> bool:
    """Put the backed-up SECRET_KEY where this installation reads it, if it is a file."""
    path_name = os.environ.get("SECRET_KEY_FILE")
    if os.environ.get("SECRET_KEY") and not path_name:
        return False  # set in the environment (e.g. the env file): the operator keeps it
    path = Path(path_name) if path_name else Path(settings.VAR_DIR) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as file:
        file.write(secret)
    return True
