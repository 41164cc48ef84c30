"""A shared page cache in Redis: two application servers, a publish visible on the next request.

A real redis-server (Debian package redis-server) and two gunicorn servers (`kek serve`) on
free ports, sharing one database and CACHE_URL; started once for the module.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from operations.tests.servers import (
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
