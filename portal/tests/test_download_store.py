"""The open-data files are built once per change, stored and served as files (issue 16)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from monitoring import services
from monitoring.models import StatusReport
from monitoring.tests.factories import World, build_world
from plans.services import mark_plan_changed
from portal import download_store
from portal.open_data_files import downloads

pytestmark = pytest.mark.django_db

STATUS_FILE = "/daten/kek-test-umsetzungsstand.csv"


@pytest.fixture
def world(db: Any, settings: Any) -> World:
    """The small plan of the monitoring tests, shown by the portal."""
    settings.KEK_PLAN_SLUG = "kek-test"
    return build_world()


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The revisions of every build of the files (a spy on the writing of a build)."""
    built: list[int] = []
    write_build = download_store._write_build

    def counting(plan: Any, folder: Path, previous: dict[str, Any] | None) -> dict[str, Any]:
        built.append(plan.revision)
        return write_build(plan, folder, previous)

    monkeypatch.setattr(download_store, "_write_build", counting)
    return built


def _body(response: Any) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _cells(content: bytes) -> list[tuple[Any, ...]]:
    return list(
        load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True)
    )


def _statuses(content: bytes) -> dict[str, str]:
    return {r["number"]: r["status_label"] for r in csv.DictReader(io.StringIO(content.decode()))}


def test_downloads_are_served_from_the_files_one_build_stored(
    client: Any, world: World, builds: list[int]
) -> None:
    for offered in downloads(world.plan):
        response = client.get(f"/daten/{offered.filename}")
        assert response.streaming  # a FileResponse: sent from the disk
        served, written = _body(response), offered.render(world.plan)
        if offered.format == "XLSX":  # a zip holds the time of writing: compare the cells
            assert _cells(served) == _cells(written), offered.filename
        else:
            assert served == written, offered.filename
    for offered in downloads(world.plan):
        _body(client.get(f"/daten/{offered.filename}"))

    assert builds == [world.plan.revision]  # the first request found none and built all once


def test_a_publication_rebuilds_the_files_after_its_commit_and_the_next_download_shows_it(
    client: Any, world: World, builds: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    assert _statuses(_body(client.get(STATUS_FILE))) == {"1-1": "", "1-2": ""}
    report = world.report(StatusReport.State.APPROVED)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.publish_report(world.coordination, report)
        assert len(builds) == 1  # nothing is built before the commit
    assert callbacks  # the rebuild runs after the commit
    assert len(builds) == 2
    shown = _statuses(_body(client.get(STATUS_FILE)))

    assert shown["1-1"] == report.status.label
    assert len(builds) == 2  # the download itself built nothing


def test_etag_is_strong_and_an_unchanged_file_answers_304_without_a_body(
    client: Any, world: World
) -> None:
    first = client.get(STATUS_FILE)
    content = _body(first)
    etag = first["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first["Last-Modified"].endswith("GMT")

    again = client.get(STATUS_FILE, headers={"If-None-Match": etag})
    since = client.get(STATUS_FILE, headers={"If-Modified-Since": first["Last-Modified"]})

    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert since.status_code == 304
    world.report(StatusReport.State.PUBLISHED)
    changed = client.get(STATUS_FILE, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert _body(changed) != content


def test_a_stale_file_is_served_while_a_background_thread_rebuilds_it(
    client: Any, world: World, settings: Any, monkeypatch: pytest.MonkeyPatch, builds: list[int]
) -> None:
    before = _body(client.get(STATUS_FILE))
    world.report(StatusReport.State.PUBLISHED)  # revision + 1; the test never commits
    settings.KEK_DOWNLOADS_REBUILD = "background"
    started: list[int] = []
    monkeypatch.setattr(download_store, "_building", set())
    monkeypatch.setattr(download_store, "_rebuild_in_thread", started.append)

    stale = client.get(STATUS_FILE)
    again = client.get(STATUS_FILE)

    assert _body(stale) == before == _body(again)  # the previous file, whole
    assert int(stale["X-KEK-Data-Revision"]) < world.plan.__class__.objects.get().revision
    assert started == [world.plan.pk]  # one rebuild started, not one per request
    assert len(builds) == 1


def test_missing_files_are_built_by_the_first_request_once(
    client: Any, world: World, settings: Any, builds: list[int]
) -> None:
    settings.KEK_DOWNLOADS_REBUILD = "background"  # as in production
    _body(client.get(STATUS_FILE))
    folder = Path(settings.KEK_DOWNLOADS_DIR) / "kek-test"
    (folder / "current.json").unlink()

    assert _statuses(_body(client.get(STATUS_FILE))) == {"1-1": "", "1-2": ""}
    _body(client.get("/daten/kek-test-plan.json"))
    assert len(builds) == 2


def test_a_failed_build_leaves_the_previous_files_served_and_nothing_half_written(
    client: Any, world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _body(client.get(STATUS_FILE))
    folder = Path(settings.KEK_DOWNLOADS_DIR) / "kek-test"
    manifest = (folder / "current.json").read_bytes()
    world.report(StatusReport.State.PUBLISHED)

    def half_then_fail(plan: Any, stream: Any) -> None:
        stream.write(b"number,title\n1-1,")
        raise OSError("disk full")

    offered = downloads(world.plan)
    broken = [
        o
        if o.filename != "kek-test-berichte.csv"
        else o.__class__(o.filename, o.format, o.media_type, o.title, half_then_fail)
        for o in offered
    ]
    monkeypatch.setattr(download_store, "downloads", lambda plan: broken)
    with pytest.raises(OSError, match="disk full"):
        download_store.build_downloads(world.plan.pk)

    assert (folder / "current.json").read_bytes() == manifest
    assert [p.name for p in folder.iterdir() if p.name.startswith(".partial")] == []
    settings.KEK_DOWNLOADS_REBUILD = "background"
    monkeypatch.setattr(download_store, "_rebuild_in_thread", lambda plan_id: None)
    monkeypatch.setattr(download_store, "_building", set())
    assert _body(client.get(STATUS_FILE)) == before


def test_build_downloads_command_builds_stale_files_and_skips_current_ones(
    world: World, settings: Any
) -> None:
    out = io.StringIO()
    call_command("build_downloads", stdout=out)
    call_command("build_downloads", "--plan", "kek-test", stdout=out)
    mark_plan_changed(world.plan.pk)
    call_command("build_downloads", stdout=out)

    assert out.getvalue().splitlines() == [
        "Plan „kek-test“: Offene-Daten-Dateien erstellt.",
        "Plan „kek-test“: Offene-Daten-Dateien sind aktuell.",
        "Plan „kek-test“: Offene-Daten-Dateien erstellt.",
    ]
    manifest = json.loads((Path(settings.KEK_DOWNLOADS_DIR) / "kek-test/current.json").read_text())
    assert manifest["revision"] == world.plan.__class__.objects.get().revision
    with pytest.raises(CommandError, match="nope"):
        call_command("build_downloads", "--plan", "nope")


def test_the_plan_file_read_in_small_chunks_equals_the_whole_plan_export(
    kek_plan: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plans import plan_data
    from plans.exporters import export_plan_json

    whole = export_plan_json(kek_plan)
    monkeypatch.setattr(plan_data, "PLACEMENT_CHUNK", 50)  # KEK 2030: 7 chunks
    plan_file = next(o for o in downloads(kek_plan) if o.filename == "kek-2030-plan.json")

    assert plan_file.render(kek_plan) == whole
    assert export_plan_json(kek_plan) == whole


def test_an_import_leaves_the_files_built_after_its_commit(
    db: Any, kek_parsed: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from plans.models import Plan
    from plans.services import import_parsed_plan

    with django_capture_on_commit_callbacks(execute=True):
        import_parsed_plan(kek_parsed, apply=True)

    plan = Plan.objects.get(slug="kek-2030")
    manifest = json.loads((Path(settings.KEK_DOWNLOADS_DIR) / "kek-2030/current.json").read_text())
    assert manifest["revision"] == plan.revision
    assert set(manifest["files"]) == {o.filename for o in downloads(plan)}


def _build_folder(settings: Any) -> tuple[Path, dict[str, Any]]:
    folder = Path(settings.KEK_DOWNLOADS_DIR) / "kek-test"
    manifest = json.loads((folder / "current.json").read_text())
    return folder / manifest["directory"], manifest


def test_a_publication_rewrites_the_status_files_and_links_the_catalogue_files_unchanged(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    download_store.build_downloads(world.plan.pk)
    before, first = _build_folder(settings)
    written: list[str] = []
    offered = downloads(world.plan)

    def noting(offered_file: Any) -> Any:
        def write(source: Any, stream: Any) -> None:
            written.append(offered_file.filename)
            offered_file.write(source, stream)

        return write

    def spying(plan: Any) -> list[Any]:
        return [
            o.__class__(o.filename, o.format, o.media_type, o.title, noting(o), o.shows_statuses)
            for o in offered
        ]

    monkeypatch.setattr(download_store, "downloads", spying)
    world.report(StatusReport.State.PUBLISHED)  # publish_report marks the statuses changed
    download_store.build_downloads(world.plan.pk)
    after, second = _build_folder(settings)

    catalogue = {o.filename for o in offered if not o.shows_statuses}
    assert catalogue == {
        "kek-test-massnahmen.csv",
        "kek-test-massnahmen.json",
        "kek-test-massnahmen.xlsx",
        "kek-test-plan.json",
        "plan.schema.json",
    }
    assert sorted(written) == sorted(o.filename for o in offered if o.shows_statuses)
    for name in catalogue:  # the same file under a second name, and the same manifest entry
        assert (after / name).stat().st_ino == (before / name).stat().st_ino
        assert second["files"][name]["sha256"] == first["files"][name]["sha256"]
    assert second["revision"] > first["revision"]
    assert second["catalogue_revision"] == first["catalogue_revision"]
    # Each linked file is what a build would write now.
    for o in offered:
        if not o.shows_statuses and o.format != "XLSX":
            assert (after / o.filename).read_bytes() == o.render(world.plan)


def test_a_catalogue_change_rewrites_every_file(
    world: World, settings: Any, builds: list[int]
) -> None:
    download_store.build_downloads(world.plan.pk)
    before, _first = _build_folder(settings)
    mark_plan_changed(world.plan.pk)
    download_store.build_downloads(world.plan.pk)
    after, second = _build_folder(settings)

    assert len(builds) == 2
    assert second["catalogue_revision"] == world.plan.__class__.objects.get().catalogue_revision
    for name in second["files"]:
        assert (after / name).stat().st_ino != (before / name).stat().st_ino


def test_the_builder_rests_between_builds_in_proportion_to_the_last_build(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.KEK_DOWNLOADS_REST_FACTOR = 3
    monkeypatch.setattr(download_store, "_building", {world.plan.pk})
    monkeypatch.setattr(download_store, "_changed", set())
    clock = iter([100.0, 102.0, 110.0, 110.5])  # build 1 takes 2 s, build 2 takes 0.5 s
    monkeypatch.setattr(download_store.time, "monotonic", lambda: next(clock))
    rests: list[tuple[float, bool]] = []

    class Later:
        """threading.Timer, run at once: records the rest and whether the thread is a daemon."""

        def __init__(self, interval: float, function: Any, args: tuple[Any, ...]) -> None:
            self.interval, self.function, self.args = interval, function, args
            self.daemon, self.name = False, ""

        def start(self) -> None:
            rests.append((self.interval, self.daemon))
            self.function(*self.args)

    monkeypatch.setattr(download_store.threading, "Timer", Later)
    builds: list[int] = []

    def build() -> None:
        builds.append(world.plan.pk)
        if len(builds) == 1:  # two changes arrive during the first build: one more build
            download_store.request_rebuild(world.plan.pk)
            download_store.request_rebuild(world.plan.pk)

    monkeypatch.setattr(download_store, "_build_in_child", build)
    # The test's own connection stays open (the thread closes only its own), and its thread
    # keeps its priority.
    monkeypatch.setattr(download_store, "close_old_connections", lambda: None)
    monkeypatch.setattr(download_store.connections, "close_all", lambda: None)
    monkeypatch.setattr(download_store, "_lower_priority", lambda: None)
    settings.KEK_DOWNLOADS_REBUILD = "background"
    download_store._rebuild_in_thread(world.plan.pk)

    assert builds == [world.plan.pk, world.plan.pk]
    # 3 × 2 s in a daemon thread (a command ending meanwhile does not wait), then no change
    # arrived: no further rest.
    assert rests == [(6.0, True)]
    assert download_store._building == set() and download_store._changed == set()


CHILD = """
import os, sys
policy = {os.SCHED_IDLE: "idle", os.SCHED_OTHER: "other"}[os.sched_getscheduler(0)]
with open(sys.argv[1], "a") as seen:
    seen.write(f"{policy} {os.getpriority(os.PRIO_PROCESS, 0)}\\n")
sys.stderr.write(sys.argv[2])
sys.exit(int(sys.argv[3]))
"""


def _build_by(
    command: list[str], world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Have the builder thread start command as its child, and wait for the thread."""
    import threading

    settings.KEK_DOWNLOADS_REBUILD = "background"
    monkeypatch.setattr(download_store, "_building", set())
    monkeypatch.setattr(download_store, "_changed", set())
    monkeypatch.setattr(download_store, "_child_command", lambda: command)
    download_store.request_rebuild(world.plan.pk)
    for thread in threading.enumerate():
        if thread.name == f"open-data-{world.plan.pk}":
            thread.join(30)


def test_the_builder_thread_builds_in_a_child_process_at_a_lower_priority(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The build holds no worker's interpreter lock, and runs when the requests leave a core."""
    import os
    import sys
    import threading

    settings.KEK_DOWNLOADS_NICE = 10
    seen = tmp_path / "seen"
    ours = (os.getpriority(os.PRIO_PROCESS, threading.get_native_id()), os.sched_getscheduler(0))
    for scheduling in ("idle", "nice"):
        settings.KEK_DOWNLOADS_SCHEDULING = scheduling
        _build_by([sys.executable, "-c", CHILD, str(seen), "", "0"], world, settings, monkeypatch)

    # A process of its own, started at the thread's priority: under SCHED_IDLE (only on a
    # core nothing else wants) or at the niceness alone.
    assert seen.read_text().split("\n") == ["idle 10", "other 10", ""]
    assert (
        os.getpriority(os.PRIO_PROCESS, threading.get_native_id()),
        os.sched_getscheduler(0),
    ) == ours  # the requests' thread keeps its own
    assert download_store._building == set()


def test_a_failed_child_build_is_logged_with_its_message_and_the_next_change_builds_again(
    world: World,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    import sys

    seen = tmp_path / "seen"
    failing = [sys.executable, "-c", CHILD, str(seen), "Datenbank nicht erreichbar", "1"]
    with caplog.at_level("ERROR", logger="portal.download_store"):
        _build_by(failing, world, settings, monkeypatch)

    assert "building the open-data files of plan" in caplog.text
    assert "exit status 1: Datenbank nicht erreichbar" in caplog.text
    assert download_store._building == set()  # not stuck: the next change starts a build
    _build_by([sys.executable, "-c", CHILD, str(seen), "", "0"], world, settings, monkeypatch)
    assert len(seen.read_text().splitlines()) == 2


def test_the_child_command_is_kek_build_downloads_in_the_background() -> None:
    import sys

    assert download_store._child_command() == [
        *(sys.executable, "-m", "kekmonitor.cli", "build-downloads"),
        *("--background", "--verbosity", "0"),
    ]


def test_build_downloads_in_the_background_runs_low_and_on_postgresql_without_parallel_workers(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parallel workers run at the database server's priority, not the builder's."""
    import os
    import threading

    from django.db import connection

    settings.KEK_DOWNLOADS_NICE = 10
    settings.KEK_DOWNLOADS_SCHEDULING = "idle"
    seen: list[tuple[int, int, str]] = []

    def in_a_thread() -> None:  # as in the child process; the test's thread keeps its own
        from django.db import connection as of_this_thread

        try:
            download_store.run_in_background()
            parallel = ""
            if of_this_thread.vendor == "postgresql":
                with of_this_thread.cursor() as cursor:
                    cursor.execute("SHOW max_parallel_workers_per_gather")
                    parallel = cursor.fetchone()[0]
            nice = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
            seen.append((os.sched_getscheduler(0), nice, parallel))
        finally:
            of_this_thread.close()

    thread = threading.Thread(target=in_a_thread)
    thread.start()
    thread.join(10)

    assert seen == [(os.SCHED_IDLE, 10, "0" if connection.vendor == "postgresql" else "")]
    if connection.vendor == "postgresql":  # the requests' sessions keep the server's setting
        with connection.cursor() as cursor:
            cursor.execute("SHOW max_parallel_workers_per_gather")
            assert cursor.fetchone()[0] != "0"
    called: list[bool] = []
    from portal.management.commands import build_downloads as command

    monkeypatch.setattr(command, "run_in_background", lambda: called.append(True))
    call_command("build_downloads", "--background", "--plan", "kek-test", stdout=io.StringIO())
    assert called == [True]
    assert download_store.read_manifest(download_store.plan_folder(world.plan)) is not None


def test_the_status_files_of_one_build_read_their_rows_once_and_show_the_same_statuses(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.report(StatusReport.State.PUBLISHED)
    reads: list[int] = []
    from portal import open_data_files

    read_rows = open_data_files.measure_rows

    def counted(plan: Any) -> list[Any]:
        reads.append(plan.pk)
        return read_rows(plan)

    monkeypatch.setattr(open_data_files, "measure_rows", counted)
    download_store.build_downloads(world.plan.pk, force=True)
    folder, _manifest = _build_folder(settings)

    assert reads == [world.plan.pk]
    from_csv = _statuses((folder / "kek-test-umsetzungsstand.csv").read_bytes())
    from_json = json.loads((folder / "kek-test-umsetzungsstand.json").read_bytes())
    assert from_csv == {row["number"]: row["status_label"] for row in from_json}
    assert from_csv[world.measure.number] != ""
