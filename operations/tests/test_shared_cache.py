"""A shared page cache in Redis: two application servers, a publish visible on the next request.

A real redis-server (Debian package redis-server) and two gunicorn servers (`kek serve`) on
free ports, sharing one database and CACHE_URL; started once for the module.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from operations.tests.servers import (
    ROOT,
    free_port,
    get,
    installation_env,
    kek,
    port_open,
    prepare_demo,
    require_binary,
    start_gunicorn,
    stop,
    wait_until,
)

# Behind the load balancer every server sees the public host name (part of the cache key).
HOST = "localhost"
APPROVED_DEMO_REPORT = """
from monitoring.models import StatusReport
report = StatusReport.objects.get(state="approved")
print(report.measure.number)
"""
PUBLISH_IT = """
from django.contrib.auth import get_user_model
from monitoring import services
from monitoring.models import StatusReport
report = StatusReport.objects.get(state="approved")
services.publish_report(get_user_model().objects.get(username="koordination"), report)
"""


def redis_keys(redis_cli: str, port: int) -> set[str]:
    output = subprocess.run(
        [redis_cli, "-p", str(port), "--scan", "--pattern", "*portal:*"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(output.split())


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    redis_server = require_binary("redis-server", "redis-server")
    redis_cli = require_binary("redis-cli", "redis-tools")
    base: Path = tmp_path_factory.mktemp("cache")
    redis_port = free_port()
    redis = subprocess.Popen(
        [
            redis_server,
            "--port",
            str(redis_port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--dir",
            str(base),
        ],
        stdout=subprocess.DEVNULL,
    )
    processes = [redis]
    try:
        wait_until(lambda: port_open(redis_port), redis, "redis-server")
        env = installation_env(
            f"sqlite:///{base / 'kek.sqlite3'}",
            base,
            CACHE_URL=f"redis://127.0.0.1:{redis_port}/0",
            KEK_STATUS_LISTS_REFRESH_SECONDS="0",  # the lists show a publication at once
        )
        prepare_demo(env)
        ports = [free_port(), free_port()]
        processes += [start_gunicorn(env, port) for port in ports]
        yield {
            "env": env,
            "urls": [f"http://127.0.0.1:{p}" for p in ports],
            "redis_cli": redis_cli,
            "redis_port": redis_port,
        }
    finally:
        for process in reversed(processes):
            stop(process)


def test_cache_url_selects_the_redis_backend(servers: dict[str, Any]) -> None:
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    assert kek(servers["env"], "shell", "--no-imports", "-c", code).strip() == (
        "django.core.cache.backends.redis.RedisCache"
    )


def test_a_publish_on_one_server_is_visible_on_the_next_request_to_another(
    servers: dict[str, Any],
) -> None:
    first, second = servers["urls"]
    number = kek(servers["env"], "shell", "--no-imports", "-c", APPROVED_DEMO_REPORT).strip()
    path = f"/massnahmen/{number}/"

    status, _, page = get(first + path, Host=HOST)
    assert status == 200
    assert "Das Format läuft weiter." not in page
    cached = redis_keys(servers["redis_cli"], servers["redis_port"])
    assert any(path in key for key in cached), cached  # the page is in the shared cache
    assert get(second + path, Host=HOST)[2] == page  # the other server answers from it
    assert redis_keys(servers["redis_cli"], servers["redis_port"]) == cached

    kek(
        servers["env"], "shell", "--no-imports", "-c", PUBLISH_IT
    )  # e.g. the coordination on the first

    status, _, page = get(second + path, Host=HOST)
    assert status == 200
    assert "Das Format läuft weiter." in page
    assert get(first + path, Host=HOST)[2] == page


PUBLISH_THE_SUBMITTED_ONE = """
from django.contrib.auth import get_user_model
from monitoring import services
from monitoring.models import StatusReport
from plans.models import Measure
coordination = get_user_model().objects.get(username="koordination")
report = StatusReport.objects.get(state="submitted")
other = Measure.objects.exclude(pk=report.measure_id).order_by("number").first()
services.approve_report(coordination, report)
services.publish_report(coordination, report)
print(report.measure.number, other.number)
"""


def page_keys(servers: dict[str, Any], path: str) -> set[str]:
    """The shared cache's entries of the page at path (any generation; not its last rendering
    kept to be served while it renders anew)."""
    suffix = f":page:{HOST}{path}"
    return {
        k
        for k in redis_keys(servers["redis_cli"], servers["redis_port"])
        if k.endswith(suffix) and ":portal:last:" not in k
    }


def test_a_publish_renders_only_its_measure_page_and_the_lists_anew_on_every_server(
    servers: dict[str, Any],
) -> None:
    first, second = servers["urls"]
    changed, other = (
        kek(
            servers["env"],
            "shell",
            "--no-imports",
            "-c",
            APPROVED_DEMO_REPORT.replace('state="approved"', 'state="submitted"'),
        ).strip(),
        "2-84",
    )
    paths = [f"/massnahmen/{changed}/", f"/massnahmen/{other}/", "/massnahmen/", "/"]
    before = {}
    for path in paths:
        status, _, before[path] = get(first + path, Host=HOST)
        assert status == 200
    keys = {path: page_keys(servers, path) for path in paths}
    assert all(len(k) == 1 for k in keys.values()), keys

    published, _ = kek(
        servers["env"], "shell", "--no-imports", "-c", PUBLISH_THE_SUBMITTED_ONE
    ).split()
    assert published == changed

    for path in paths:
        assert get(second + path, Host=HOST)[0] == 200
    assert "Fördermittel sind beantragt." in get(second + paths[0], Host=HOST)[2]
    for path in (paths[0], "/massnahmen/", "/"):  # rendered anew under new generations
        assert page_keys(servers, path) > keys[path], path
    # The other measure's page is served from its old entry: nothing new was rendered.
    assert page_keys(servers, paths[1]) == keys[paths[1]]
    assert get(second + paths[1], Host=HOST)[2] == before[paths[1]]


PUBLISH_THE_RETURNED_ONE = """
from django.contrib.auth import get_user_model
from monitoring import services
from monitoring.models import StatusReport
coordination = get_user_model().objects.get(username="koordination")
report = StatusReport.objects.get(state="returned")
print("ready", flush=True)
input()  # the test takes the write lock meanwhile
services.submit_report(coordination, report)
services.approve_report(coordination, report)
services.publish_report(coordination, report)
print(StatusReport.objects.get(pk=report.pk).state, report.measure.number)
"""


def test_a_publication_during_running_searches_and_another_write_succeeds(
    servers: dict[str, Any],
) -> None:
    """WAL: a search never holds the write lock; the busy timeout: a write waits for another.

    While searches run on both servers, a search's read transaction stays open and another
    write holds the lock for 6 s from the moment the publication starts (longer than SQLite's
    default wait of 5 s).
    """
    database = servers["env"]["DATABASE_URL"].removeprefix("sqlite:///")
    reader = sqlite3.connect(database)
    reader.execute("BEGIN")
    found = reader.execute("SELECT count(*) FROM search_words WHERE search_words MATCH 'radweg*'")
    assert found.fetchone()[0] > 0
    writer = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    script = PUBLISH_THE_RETURNED_ONE
    publisher = subprocess.Popen(
        [sys.executable, "-m", "kekmonitor.cli", "shell", "--no-imports", "-c", script],
        env=servers["env"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert publisher.stdout is not None and publisher.stdout.readline().strip() == "ready"
    writer.execute("BEGIN IMMEDIATE")
    answers: list[int] = []
    stop_searching = threading.Event()

    def search() -> None:
        while not stop_searching.is_set():
            for url in servers["urls"]:
                answers.append(get(url + "/suche/?q=Radweg", Host=HOST)[0])

    searching = threading.Thread(target=search)
    searching.start()
    release = threading.Timer(6, lambda: writer.execute("COMMIT"))
    release.start()
    try:
        output, errors = publisher.communicate("go\n", timeout=120)
    finally:
        release.join()
        stop_searching.set()
        searching.join()
        reader.rollback()
        reader.close()
        writer.close()
    assert publisher.returncode == 0, errors[-2000:]
    state, number = output.split()
    assert state == "published"
    assert answers and set(answers) == {200}
    page = get(servers["urls"][1] + f"/massnahmen/{number}/", Host=HOST)[2]
    assert "Personal fehlt derzeit." in page
