"""Mixed public traffic with one publication per second, against the same without publications.

Usage: mixed_traffic.py [--scale N] [--cache redis|local]. The production server (`kek serve`,
two workers) shares a real redis-server (Debian) as its cache (`--cache local`: each worker its
own); wrk requests measure pages, lists and searches in turn (60/25/15) for BENCH_MIX_SECONDS
(10) without publications, then while a separate process publishes one approved report per
second (`monitoring.services.publish_report`), BENCH_MIX_ROUNDS (2) times each; rates are
medians. Prints JSON rates (ratios, p99, errors, publications) through benchmarks/run.py.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "data" / "kek-2030" / "massnahmenkonzept.txt"
SECONDS = int(os.environ.get("BENCH_MIX_SECONDS", "10"))
ROUNDS = int(os.environ.get("BENCH_MIX_ROUNDS", "2"))
LISTS = [
    "/",
    "/massnahmen/",
    "/massnahmen/?feld=2",
    "/handlungsfelder/2/",
    "/leitziele/1.3/",
    "/organisationen/SLR/",
]
SEARCHES = ["/suche/?q=Radweg", "/suche/?q=Wald", "/suche/?q=Energie", "/suche/?q=Schule"]
PUBLISHER = """
import json, sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from monitoring import services
from monitoring.models import StatusReport
coordination = get_user_model().objects.get(username="koordination")
waiting = list(StatusReport.objects.filter(state="approved", summary="Bench").order_by("pk"))
print("ready", flush=True)
sys.stdin.readline()
ok, failed, start = 0, [], time.monotonic()
for n, report in enumerate(waiting):
    if time.monotonic() - start > float(sys.argv[1]):
        break
    try:
        services.publish_report(coordination, report)
        ok += 1
    except Exception as error:
        failed.append(repr(error))
    time.sleep(max(0.0, start + n + 1 - time.monotonic()))
print(json.dumps({"ok": ok, "failed": failed}), flush=True)
"""
REDIS = ["redis-server", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
WRK = ["wrk", "-t2", "-c16", "--timeout", "10s", "--latency"]
WRK_SCRIPT = """
paths = {%s}
i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format(nil, paths[i])
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(scale: int, publications: int) -> list[str]:
    """Import the plan, two published rounds, the demo round with approved reports to publish;
    the mix of paths."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kekmonitor.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from benchmarks.portal import publish_two_rounds
    from monitoring.models import ReportingRound, StatusReport
    from plans.importers.kek_text import parse_document
    from plans.models import Measure, Plan
    from plans.services import import_parsed_plan
    from plans.synthetic import scaled_plan

    # This process builds the open-data files before it returns: a builder thread of its own
    # would still be building them (seconds at 100×) while the server is timed.
    settings.KEK_DOWNLOADS_REBUILD = "inline"
    call_command("migrate", verbosity=0)
    parsed = parse_document(DOCUMENT.read_text(encoding="utf-8"))
    import_parsed_plan(scaled_plan(parsed, scale) if scale > 1 else parsed, apply=True)
    plan = Plan.objects.get()
    publish_two_rounds(plan)
    call_command("demo_monitoring", stdout=open(os.devnull, "w"))  # noqa: SIM115
    demo = ReportingRound.objects.get(plan=plan, is_demo=True)
    taken = set(StatusReport.objects.filter(reporting_round=demo).values_list("measure_id"))
    measures = list(Measure.objects.filter(plan=plan).order_by("pk"))
    template = StatusReport.objects.filter(reporting_round=demo).first()
    assert template is not None
    step = max(1, len(measures) // publications)
    StatusReport.objects.bulk_create(
        StatusReport(
            reporting_round=demo,
            measure=measure,
            organisation=template.organisation,
            status=template.status,
            progress=50,
            summary="Bench",
            state=StatusReport.State.APPROVED,
            approved_at=timezone.now(),
        )
        for measure in measures[::step]
        if (measure.pk,) not in taken
    )
    settle_statistics()
    numbers = [m.number for m in measures[:: max(1, len(measures) // 60)]][:60]
    mix = [f"/massnahmen/{n}/" for n in numbers]  # 60 of 100
    mix += [LISTS[i % len(LISTS)] for i in range(25)]
    mix += [SEARCHES[i % len(SEARCHES)] for i in range(15)]
    return [mix[(i * 37) % len(mix)] for i in range(len(mix))]  # interleaved, 37 ⟂ 100


def settle_statistics() -> None:
    """PostgreSQL: VACUUM ANALYZE after the import, as autovacuum does within a minute or two.
    Otherwise autovacuum catches up on the freshly written tables during the first timed run
    (at 100×, one quiet run measured 556 requests/s, the same run without it 1,254)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:  # VACUUM cannot run inside a transaction block
        cursor.execute("VACUUM ANALYZE")


def wrk(base: str, script: Path) -> dict[str, float]:
    output = subprocess.run(
        [*WRK, f"-d{SECONDS}s", "-s", str(script), base],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", output)
    if rate is None or p99 is None:
        raise RuntimeError(f"wrk printed no rate or p99:\n{output}")
    unit = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return {"rate": float(rate.group(1)), "p99": float(p99.group(1)) * unit, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--cache", choices=["redis", "local"], default="redis")
    arguments = parser.parse_args()
    for binary in ("wrk", "redis-server") if arguments.cache == "redis" else ("wrk",):
        if not shutil.which(binary):
            raise SystemExit(f"{binary} fehlt: scripts/install-system-packages.sh")
    var = Path(tempfile.mkdtemp())
    os.environ["KEK_VAR_DIR"] = str(var)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{var / 'db.sqlite3'}")
    publications = (SECONDS + 2) * ROUNDS + 10
    mix = prepare(arguments.scale, publications)
    env = {**os.environ}
    kek = str(Path(sys.executable).parent / "kek")
    subprocess.run([kek, "collectstatic", "--noinput", "-v0"], env=env, check=True)
    processes: list[subprocess.Popen[Any]] = []
    if arguments.cache == "redis":
        redis_port = free_port()
        processes.append(
            subprocess.Popen(
                [*REDIS, "--port", str(redis_port), "--dir", str(var)],
                stdout=subprocess.DEVNULL,
            )
        )
        env["CACHE_URL"] = f"redis://127.0.0.1:{redis_port}/0"
    script = var / "mix.lua"
    script.write_text(WRK_SCRIPT % ", ".join(f'"{p}"' for p in mix), encoding="utf-8")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    processes.append(
        subprocess.Popen(
            [kek, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    results: dict[str, list[dict[str, float]]] = {"quiet": [], "publishing": []}
    published, failed = 0, []
    try:
        for _ in range(300):
            try:
                for path in sorted(set(mix)):  # warm: every page rendered once
                    urllib.request.urlopen(base + path, timeout=120).read()
                break
            except urllib.error.HTTPError as error:
                raise SystemExit(f"{path}: HTTP {error.code}") from None
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("Server antwortet nicht")
        for _ in range(ROUNDS):
            results["quiet"].append(wrk(base, script))
            publisher = subprocess.Popen(
                [sys.executable, "-c", PUBLISHER, str(SECONDS + 1)],
                env={**env, "DJANGO_SETTINGS_MODULE": "kekmonitor.settings"},
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                # A group of its own, so that its builder's child process is stopped with it;
                # not a session of its own: the kernel would schedule it as a group apart
                # from the server's (autogroup), with an equal share of the cores.
                process_group=0,
            )
            assert publisher.stdin is not None and publisher.stdout is not None
            assert publisher.stdout.readline().strip() == "ready"
            publisher.stdin.write("go\n")
            publisher.stdin.flush()
            results["publishing"].append(wrk(base, script))
            # The outcome is the publisher's last line. Like a web worker it would go on
            # building the open-data files (in a child process at a low priority, after the
            # last publication): both are stopped, so that the next quiet run measures no build.
            line = ""
            while not line.startswith("{"):
                line = publisher.stdout.readline()
                if not line:
                    raise SystemExit("Der Veröffentlicher endete ohne Ergebnis")
            outcome = json.loads(line)
            os.killpg(publisher.pid, signal.SIGTERM)
            publisher.wait(30)
            published += outcome["ok"]
            failed += outcome["failed"]
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:  # a worker still answering: no result lost
                process.kill()
                process.wait(10)
        shutil.rmtree(var, ignore_errors=True)

    def median(kind: str, figure: str) -> float:
        return statistics.median(run[figure] for run in results[kind])

    name = f"mixed traffic {arguments.scale}×, cache {arguments.cache}"
    quiet, busy = median("quiet", "rate"), median("publishing", "rate")
    print(
        json.dumps(
            {
                "rates": {
                    f"{name}: requests/s without publications": quiet,
                    f"{name}: requests/s, one publication/s": busy,
                    f"{name}: ratio of requests/s (target ≥ 0.8)": busy / quiet,
                    f"{name}: p99 ms without publications": median("quiet", "p99"),
                    f"{name}: p99 ms, one publication/s": median("publishing", "p99"),
                    f"{name}: ratio of p99 (target ≤ 2)": median("publishing", "p99")
                    / median("quiet", "p99"),
                    f"{name}: errors": sum(r["errors"] for k in results for r in results[k]),
                    f"{name}: publications succeeded": published,
                    f"{name}: publications failed": len(failed),
                    f"{name}: load average (1 min) at the end": os.getloadavg()[0],
                }
            }
        )
    )
    if failed:
        print(f"failed publications: {failed[:3]}", file=sys.stderr)


if __name__ == "__main__":
    main()
