"""The open-data files, built once per change of the plan and served as stored files.

Layout under `KEK_DOWNLOADS_DIR/<plan slug>/`: `current.json` names the current build (its
plan revision, time and each file's size and SHA-256) and its directory `build-<ns>/`. A build
writes every file into a fresh directory (streamed, hashed on the way), then replaces
current.json atomically (temp file + os.replace): a reader sees the old set or the new, never
half a file. The previous build stays for readers that read current.json a moment earlier.

When builds happen (portal/README.md, "Offene Daten: einmal gebaut"): after the transaction
of every change of the plan commits (`rebuild_after_change`, registered in `PortalConfig.ready`),
by `kek build-downloads`, and once by a request that finds no file at all. A request that finds
the files of an older revision serves them (their date in Last-Modified) and starts a rebuild
in the background; with `KEK_DOWNLOADS_REBUILD = "inline"` (the tests) it builds them first.
One build at a time per plan and server: a file lock (fcntl) orders processes, a thread per
plan and process takes the changes that arrive while it builds. The thread builds in a child
process (`kek build-downloads --background`) at a lower priority, so that no worker's
interpreter lock or memory is taken by a build.
"""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections

from plans.models import Plan
from plans.services import PlanChange
from portal.open_data_files import Source, downloads

logger = logging.getLogger(__name__)

MANIFEST = "current.json"


@dataclass(frozen=True)
class StoredFile:
    """A built file: where it lies, its strong ETag, when it was built and from which revision."""

    path: Path
    etag: str
    built_at: datetime.datetime
    revision: int
    current: bool  # built from the plan's current revision


def plan_folder(plan: Plan) -> Path:
    """The folder of the plan's files."""
    return Path(settings.KEK_DOWNLOADS_DIR) / plan.slug


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The description of the current build, or None before the first."""
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def is_current(plan: Plan, manifest: dict[str, Any] | None) -> bool:
    """Whether the build shows the plan as it is now (same plan, same revision)."""
    return (
        manifest is not None
        and manifest.get("plan_id") == plan.pk
        and manifest.get("revision") == plan.revision
    )


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stored:
        for block in iter(lambda: stored.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def _plan_lock(folder: Path) -> Iterator[None]:
    """One build of the plan's files at a time on this server (all processes)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write_atomically(path: Path, data: bytes) -> None:
    """Write data to path through a temporary file and os.replace."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the files are public data
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _reusable(
    plan: Plan, folder: Path, previous: dict[str, Any] | None
) -> dict[str, tuple[Path, dict[str, Any]]]:
    """The previous build's files (path, manifest entry) by name, if the catalogue has not
    changed since it was built: those that show no status are still what a build would write."""
    if not previous or previous.get("catalogue_revision") != plan.catalogue_revision:
        return {}
    directory = folder / str(previous.get("directory"))
    return {
        name: (directory / name, entry)
        for name, entry in dict(previous.get("files") or {}).items()
        if (directory / name).is_file()
    }


def _write_build(plan: Plan, folder: Path, previous: dict[str, Any] | None) -> dict[str, Any]:
    """Write every file of the plan into a new build directory; return its manifest.

    The files that show no status are linked from the previous build while the catalogue is
    the same (at the 100× plan that spares most of the work a publication would cost).
    """
    built_at = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    directory = f"build-{time.time_ns()}"
    partial = Path(tempfile.mkdtemp(dir=folder, prefix=".partial-"))
    partial.chmod(0o755)  # mkdtemp makes it private; the files are public data
    reusable = _reusable(plan, folder, previous)
    rows_from = Source(plan)  # one for every file: the rows they share are read once
    files: dict[str, dict[str, Any]] = {}
    try:
        for offered in downloads(plan):
            path = partial / offered.filename
            if not offered.shows_statuses and offered.filename in reusable:
                source, entry = reusable[offered.filename]
                os.link(source, path)  # the same bytes: a second name, no copy
                files[offered.filename] = {**entry, "seconds": 0.0}
                continue
            started = time.perf_counter()
            with path.open("wb") as stream:
                offered.write(rows_from, stream)
            files[offered.filename] = {
                # Hashed from the disk: the XLSX (zip) writer seeks back to fill in headers.
                "sha256": _sha256_of(path),
                "size": path.stat().st_size,
                "seconds": round(time.perf_counter() - started, 3),
            }
        os.replace(partial, folder / directory)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return {
        "plan_id": plan.pk,
        "revision": plan.revision,
        "catalogue_revision": plan.catalogue_revision,
        "built_at": built_at.isoformat(),
        "directory": directory,
        "files": files,
    }


def _remove_old_builds(folder: Path, keep: set[str]) -> None:
    """Delete build directories other than keep (the current and the previous one)."""
    for entry in folder.iterdir():
        ours = entry.name.startswith(("build-", ".partial-"))
        if ours and entry.is_dir() and entry.name not in keep:
            shutil.rmtree(entry, ignore_errors=True)


def build_downloads(plan_id: int, *, force: bool = False) -> bool:
    """Build the plan's files unless they are current (or force); True if it built them.

    The plan (and its revision) is read after taking the lock and before the data: a change
    committed during the build leaves a newer revision, so the files are built again.
    """
    plan = Plan.objects.filter(pk=plan_id).first()
    if plan is None:
        return False
    folder = plan_folder(plan)
    with _plan_lock(folder):
        plan.refresh_from_db()
        previous = read_manifest(folder)
        if not force and is_current(plan, previous):
            return False
        started = time.perf_counter()
        manifest = _write_build(plan, folder, previous)
        _write_atomically(
            folder / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
        )
        keep = {manifest["directory"]}
        if previous:
            keep.add(previous["directory"])
        _remove_old_builds(folder, keep)
    logger.info(
        "open-data files of %s (revision %s) built in %.1f s",
        plan.slug,
        plan.revision,
        time.perf_counter() - started,
    )
    return True


_building: set[int] = set()  # plans whose files a thread of this process is building
_changed: set[int] = set()  # plans changed again while their thread was building
_threads_lock = threading.Lock()


def _lower_priority() -> None:
    """Let the requests go first: the calling thread, and the processes it starts, run under
    SCHED_IDLE (KEK_DOWNLOADS_SCHEDULING "idle": only on a core nothing else wants) at nice
    KEK_DOWNLOADS_NICE (Linux sets both per thread).

    At the 100× plan a build takes seconds of CPU. At the workers' priority it took a fifth of
    their throughput while a round published; at nice 19 alone their p99 was 1.79 times the
    quiet one, under SCHED_IDLE 1.31–1.61 (benchmarks/mixed_traffic.py, PostgreSQL).
    """
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), settings.KEK_DOWNLOADS_NICE)
        if settings.KEK_DOWNLOADS_SCHEDULING == "idle":
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))  # 0: this thread
    except (AttributeError, OSError):  # not Linux, or not allowed: build as far as it went
        logger.debug("could not lower the priority of the open-data builder")


def run_in_background() -> None:
    """Build as the server does (`kek build-downloads --background`): at the lower priority,
    and on PostgreSQL without parallel query workers. Those are processes of the database
    server at its normal priority: they took both cores for a moment of every build, and the
    requests' p99 was 2.6 times the quiet one with them, 1.5–1.7 without (as above)."""
    _lower_priority()
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")


def _child_command() -> list[str]:
    """The command that builds the stale files of every plan in a process of their own."""
    options = ["--background", "--verbosity", "0"]
    return [sys.executable, "-m", "kekmonitor.cli", "build-downloads", *options]


def _build_in_child() -> None:
    """Build the stale files in a child process, started at this thread's lower priority.

    Not in this process: a build thread shares the worker's interpreter lock (GIL), and at a
    low priority it can hold the lock while it waits for a core, and the worker's requests
    with it. The memory of a large plan's rows goes when the child ends.
    """
    done = subprocess.run(_child_command(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"exit status {done.returncode}: {done.stderr.strip()[-2000:]}")


def _rebuild_in_thread(plan_id: int) -> None:
    """Build the plan's files (in a child process); if changes arrived meanwhile, build once
    more after a rest of KEK_DOWNLOADS_REST_FACTOR times this build's duration (a round
    publishing every second keeps the builder to a fraction of one core).

    The next build waits in a daemon thread: a command that ends meanwhile (`kek rounds close`)
    does not wait for it. Its files then stay one change behind until the next change or the
    next download, which finds them older than the plan and rebuilds them.
    """
    try:
        _lower_priority()
        close_old_connections()
        started = time.monotonic()
        try:
            _build_in_child()
        except Exception:  # a failed build keeps the previous files; the next change retries
            logger.exception("building the open-data files of plan %s failed", plan_id)
        rest = settings.KEK_DOWNLOADS_REST_FACTOR * (time.monotonic() - started)
        with _threads_lock:
            if plan_id not in _changed:
                _building.discard(plan_id)
                return
            _changed.discard(plan_id)  # changes arriving from now on: yet another build
        later = threading.Timer(rest, _rebuild_in_thread, args=(plan_id,))
        later.name = f"open-data-{plan_id}-later"
        later.daemon = True
        later.start()
    finally:
        connections.close_all()  # this thread's connections only


def request_rebuild(plan_id: int) -> None:
    """Have the plan's files rebuilt: at once (inline) or by this process's builder thread,
    which waits for a child process that builds them."""
    if settings.KEK_DOWNLOADS_REBUILD == "inline":
        build_downloads(plan_id)
        return
    with _threads_lock:
        if plan_id in _building:
            _changed.add(plan_id)
            return
        _building.add(plan_id)
    # Not a daemon: a command (`kek import-document`) ends after the files are written.
    threading.Thread(
        target=_rebuild_in_thread, args=(plan_id,), name=f"open-data-{plan_id}"
    ).start()


def rebuild_after_change(change: PlanChange) -> None:
    """After a committed change of the plan (the registered listener): rebuild its files; a
    request arriving during a build is merged into one more build."""
    request_rebuild(change.plan_id)


def stored_file(plan: Plan, filename: str) -> StoredFile | None:
    """The stored file to serve for filename, building the files if there are none yet.

    Stale files (of an older revision) are returned as they are while a rebuild runs; None
    for a name the build does not contain.
    """
    folder = plan_folder(plan)
    manifest = read_manifest(folder)
    if manifest is None or manifest.get("plan_id") != plan.pk:
        build_downloads(plan.pk)  # the first request after an installation: once, locked
        manifest = read_manifest(folder)
    elif not is_current(plan, manifest):
        request_rebuild(plan.pk)
        if settings.KEK_DOWNLOADS_REBUILD == "inline":
            manifest = read_manifest(folder)
    if manifest is None or filename not in manifest["files"]:
        return None
    return StoredFile(
        path=folder / manifest["directory"] / filename,
        etag=f'"{manifest["files"][filename]["sha256"]}"',
        built_at=datetime.datetime.fromisoformat(manifest["built_at"]),
        revision=manifest["revision"],
        current=is_current(plan, manifest),
    )
