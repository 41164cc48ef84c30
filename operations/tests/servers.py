"""Real servers for the operations tests: free ports, start, wait until ready, stop."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "data" / "kek-2030" / "massnahmenkonzept.txt"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def require_binary(name: str, package: str) -> str:
    """The binary's path; skip with the reason if it is missing (install-system-packages.sh)."""
    path = shutil.which(name) or next(
        (str(p) for p in [Path("/usr/sbin") / name, Path("/usr/bin") / name] if p.exists()), None
    )
    if path is None:
        pytest.skip(f"{name} fehlt: Debian-Paket {package} (scripts/install-system-packages.sh)")
    return path


def wait_until(ready: Callable[[], bool], process: subprocess.Popen[bytes], what: str) -> None:
    """Poll ready() until it is true; fail if the process ends or 30 s pass."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} ended with exit code {process.returncode}")
        if ready():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not become ready")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def installation_env(database_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a `kek` process of an installation with its own database and var/."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KEK_", "SECRET_KEY", "DJANGO_", "DATABASE_URL", "CACHE_URL"))
    }
    env.update({"DATABASE_URL": database_url, "KEK_VAR_DIR": str(var_dir)})
    collected = ROOT / "var" / "static"
    if (collected / "staticfiles.json").exists():
        env["STATIC_ROOT"] = str(collected)  # collected by `make setup`; only read here
    env.update(extra)
    return env


def kek(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "kekmonitor.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result.stdout


def prepare_demo(env: dict[str, str]) -> None:
    """Migrate, import KEK 2030 and add the demo round (with static files if not collected)."""
    kek(env, "migrate", "--noinput", "-v", "0")
    static_root = Path(env.get("STATIC_ROOT") or Path(env["KEK_VAR_DIR"]) / "static")
    if not (static_root / "staticfiles.json").exists():
        kek(env, "collectstatic", "--noinput", "-v", "0")
    kek(env, "import-document", str(DOCUMENT), "--plan", "kek-2030")
    kek(env, "demo-accounts")
    kek(env, "demo-monitoring")


def start_gunicorn(
    env: dict[str, str], port: int, log: Path | None = None
) -> subprocess.Popen[bytes]:
    """`kek serve` with one worker on 127.0.0.1:port, ready to answer (output to log)."""
    serve = ["serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    output = log.open("wb") if log else None
    process = subprocess.Popen(
        [sys.executable, "-m", "kekmonitor.cli", *serve],
        env=env,
        cwd=ROOT,
        stdout=output or subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    if output is not None:
        output.close()  # the server writes to its own copy of the descriptor
    wait_until(lambda: port_open(port), process, "gunicorn")
    return process


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_NO_REDIRECTS = urllib.request.build_opener(_KeepRedirects)


def get(url: str, **headers: str) -> tuple[int, dict[str, str], str]:
    """GET without following redirects: status, headers, body."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with _NO_REDIRECTS.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()
