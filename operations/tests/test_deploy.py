"""deploy/: nginx accepts the shipped configuration, and requests pass through it to gunicorn.

A real nginx (Debian nginx) in front of `kek serve` in production mode, both on free ports
of 127.0.0.1 and started once for the module; the shipped site configuration is used with
only its ports, paths and (for TLS terminated here) the scheme replaced.
"""

from __future__ import annotations

import json
import re
import secrets
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from operations.tests.servers import (
    ROOT,
    free_port,
    get,
    installation_env,
    port_open,
    prepare_demo,
    require_binary,
    start_gunicorn,
    stop,
    wait_until,
)

HOST = "kek.landkreis-leipzig.example"
SITE = ROOT / "deploy" / "nginx" / "kek-monitor.conf"
MAIN = """
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log {dir}/access.log;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    include {dir}/site.conf;
}}
"""


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def site_config(nginx_port: int, app_port: int, static_root: Path) -> str:
    site = SITE.read_text()
    site = replace_once(site, "listen 80;", f"listen 127.0.0.1:{nginx_port};")
    site = replace_once(site, "server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    site = replace_once(site, "alias /var/lib/kek-monitor/static/;", f"alias {static_root}/;")
    # TLS would end here in production; the test speaks plain HTTP to nginx.
    return replace_once(site, "X-Forwarded-Proto $scheme;", "X-Forwarded-Proto https;")


@pytest.fixture(scope="module")
def nginx_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_binary("nginx", "nginx")
    return tmp_path_factory.mktemp("nginx")


def nginx_test(directory: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            require_binary("nginx", "nginx"),
            "-t",
            "-e",
            str(directory / "error.log"),
            "-c",
            str(directory / "nginx.conf"),
        ],
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def stack(nginx_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    base = tmp_path_factory.mktemp("app")
    env = installation_env(
        f"sqlite:///{base / 'kek.sqlite3'}",
        base,
        KEK_PRODUCTION="1",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS=HOST,
        KEK_TRUSTED_PROXIES="127.0.0.1",
    )
    prepare_demo(env)
    static_root = Path(env.get("STATIC_ROOT") or base / "static")
    app_port, nginx_port = free_port(), free_port()
    (nginx_dir / "site.conf").write_text(site_config(nginx_port, app_port, static_root))
    (nginx_dir / "nginx.conf").write_text(MAIN.format(dir=nginx_dir))
    log = base / "gunicorn.log"
    processes = [start_gunicorn(env, app_port, log)]
    try:
        nginx = subprocess.Popen(
            [
                require_binary("nginx", "nginx"),
                "-e",
                str(nginx_dir / "error.log"),
                "-c",
                str(nginx_dir / "nginx.conf"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(nginx)
        wait_until(lambda: port_open(nginx_port), nginx, "nginx")
        yield {"url": f"http://127.0.0.1:{nginx_port}", "log": log, "static_root": static_root}
    finally:
        if len(processes) > 1:
            stop(processes[1], signal.SIGQUIT)
        stop(processes[0])


def test_nginx_accepts_the_shipped_configuration(nginx_dir: Path) -> None:
    (nginx_dir / "site.conf").write_text(site_config(free_port(), free_port(), nginx_dir))
    (nginx_dir / "nginx.conf").write_text(MAIN.format(dir=nginx_dir))

    result = nginx_test(nginx_dir)

    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_pages_pass_through_nginx_with_the_security_headers(stack: dict[str, Any]) -> None:
    status, headers, page = get(stack["url"] + "/massnahmen/", Host=HOST)

    assert status == 200, page[:500]
    assert '<html lang="de">' in page
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])  # nginx's $request_id
    assert "nginx/" not in headers.get("Server", "")


def test_static_files_come_from_nginx_with_long_caching(stack: dict[str, Any]) -> None:
    hashed = json.loads((stack["static_root"] / "staticfiles.json").read_text())["paths"]
    name = hashed["portal/favicon.svg"]

    status, headers, body = get(f"{stack['url']}/static/{name}", Host=HOST)

    assert status == 200
    assert headers["Content-Type"] == "image/svg+xml"
    assert "immutable" in headers["Cache-Control"]
    assert "<svg" in body


def test_the_health_check_answers_plain_http_behind_nginx(stack: dict[str, Any]) -> None:
    status, _, body = get(stack["url"] + "/healthz", Host="10.0.0.7")

    assert status == 200
    assert json.loads(body) == {"status": "ok", "database": "ok"}


def test_requests_are_logged_as_json_lines_without_personal_data(stack: dict[str, Any]) -> None:
    status, headers, _ = get(stack["url"] + "/massnahmen/?q=Max+Mustermann", Host=HOST)
    assert status == 200

    lines = [
        json.loads(line) for line in stack["log"].read_text().splitlines() if line.startswith("{")
    ]
    entry = next(e for e in lines if e.get("request_id") == headers["X-Request-ID"])
    assert entry["logger"] == "kek.request"
    assert entry["path"] == "/massnahmen/"
    assert entry["status"] == 200
    assert entry["duration_ms"] > 0
    log = stack["log"].read_text()
    assert "Mustermann" not in log
    assert '"127.0.0.1' not in log and " 127.0.0.1 " not in log  # no client addresses
