"""Requests per second: a cached portal page against a static file of the same size.

Both are served by the production server (`kek serve`: gunicorn + WhiteNoise) on localhost
and loaded with wrk in the same run. Prints JSON rates. Run through benchmarks/run.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = "/massnahmen/2-84/"
DURATION = os.environ.get("BENCH_WRK_SECONDS", "5")
# Page and static file are loaded in turns and each rate is the median of its runs: single
# runs on this 2-core machine (wrk shares the cores with the server) vary by ±15 %.
ROUNDS = int(os.environ.get("BENCH_WRK_ROUNDS", "3"))


def free_port() -> int:
    """A free TCP port on localhost."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrk(url: str) -> float:
    """Requests per second wrk measures for the URL (2 threads, 16 connections)."""
    output = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{DURATION}s", url], check=True, capture_output=True, text=True
    ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if match is None:
        raise RuntimeError(f"wrk printed no Requests/sec:\n{output}")
    return float(match.group(1))


def main() -> None:
    """Set up a demo database, start the server, load both URLs, stop the server."""
    if not shutil.which("wrk"):
        raise SystemExit("wrk fehlt: scripts/install-system-packages.sh wrk")
    var = Path(tempfile.mkdtemp())
    env = {**os.environ, "KEK_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}"}
    kek = str(Path(sys.executable).parent / "kek")
    document = ROOT / "data" / "kek-2030" / "massnahmenkonzept.txt"
    for command in (
        ["migrate", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
        ["import-document", str(document), "--plan", "kek-2030"],
    ):
        subprocess.run([kek, *command], env=env, check=True, capture_output=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [kek, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                page = urllib.request.urlopen(base + PAGE).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("Server antwortet nicht")
        # WhiteNoise indexes STATIC_ROOT when it starts: write the file, then restart.
        (var / "static" / "bench-page.html").write_bytes(page)
        server.terminate()
        server.wait(10)
        server = subprocess.Popen(
            [kek, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                for _ in range(20):  # fill the page cache of both workers
                    urllib.request.urlopen(base + PAGE).read()
                urllib.request.urlopen(base + "/static/bench-page.html").read()
                break
            except OSError:
                time.sleep(0.1)
        page_rates, static_rates = [], []
        for _ in range(ROUNDS):
            page_rates.append(wrk(base + PAGE))
            static_rates.append(wrk(base + "/static/bench-page.html"))
        page_rate, static_rate = statistics.median(page_rates), statistics.median(static_rates)
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(var, ignore_errors=True)
    print(
        json.dumps(
            {
                "rates": {
                    f"cached page {PAGE} ({len(page)} bytes), requests/s": page_rate,
                    "static file of the same size, requests/s": static_rate,
                    "cached page in % of the static file": 100 * page_rate / static_rate,
                }
            }
        )
    )


if __name__ == "__main__":
    main()
