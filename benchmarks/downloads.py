"""Open-data files at 1× and 100×: build time and peak memory, serving time, worker memory.

Usage: downloads.py; prints JSON. For each scale a database is set up once (the plan and two
rounds of published reports, as benchmarks/portal.py), then fresh processes measure:
- build: `build_downloads(force=True)`, each file's seconds and the process's peak RSS (MB);
- serve: every open-data file requested BENCH_DOWNLOAD_RUNS times (15) once built: "answered"
  is the server's work until the response goes out (target at 100×: ≤ 50 ms; a server sends
  the file with sendfile), "read whole" adds reading every byte through the test client; then
  a pass over every page type of benchmarks/portal.py, and the process's RSS after it (MB),
  whose ratio 100×/1× is the target ≤ 2.
Set BENCH_DOWNLOAD_SCALES=1 for a quick run.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_DOWNLOAD_RUNS", "15"))
SCALES = tuple(int(s) for s in os.environ.get("BENCH_DOWNLOAD_SCALES", "1,100").split(","))


def _setup_django(database: str, folder: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database
    os.environ["KEK_DOWNLOADS_DIR"] = folder
    os.environ["KEK_DOWNLOADS_REBUILD"] = "inline"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kekmonitor.settings")
    import django

    django.setup()


def _rss_mb() -> float:
    """The resident memory of this process now."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(scale: int, database: str, folder: str) -> None:
    """Child: migrate, import the plan at scale, publish two rounds (no files built yet)."""
    _setup_django(database, folder)
    from django.conf import settings
    from django.core.management import call_command

    from benchmarks.portal import DOCUMENT, publish_two_rounds
    from plans.importers.kek_text import parse_document
    from plans.models import Plan
    from plans.services import import_parsed_plan
    from plans.synthetic import scaled_plan
    from portal import download_store

    call_command("migrate", verbosity=0)
    parsed = parse_document(DOCUMENT.read_text(encoding="utf-8"))
    download_store.request_rebuild = lambda plan_id: None  # the build is measured apart
    import_parsed_plan(scaled_plan(parsed, scale) if scale > 1 else parsed, apply=True)
    publish_two_rounds(Plan.objects.get(slug=settings.KEK_PLAN_SLUG))


def build(database: str, folder: str) -> dict[str, object]:
    """Child: build every file once; each file's seconds, the whole build and the peak RSS."""
    _setup_django(database, folder)
    from django.conf import settings

    from plans.models import Plan
    from portal.download_store import build_downloads, plan_folder, read_manifest

    plan = Plan.objects.get(slug=settings.KEK_PLAN_SLUG)
    before = _rss_mb()
    start = time.perf_counter()
    build_downloads(plan.pk, force=True)
    seconds = time.perf_counter() - start
    manifest = read_manifest(plan_folder(plan)) or {}
    files = {name: entry["seconds"] for name, entry in manifest["files"].items()}
    sizes = {name: entry["size"] for name, entry in manifest["files"].items()}
    return {
        "seconds": seconds,
        "files": files,
        "sizes": sizes,
        "rss_before": before,
        "peak": _peak_mb(),
    }


def serve(database: str, folder: str) -> dict[str, object]:
    """Child: time each stored download, then one pass over every page type; RSS after."""
    _setup_django(database, folder)
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    from benchmarks.portal import PAGES
    from plans.models import Plan
    from portal.open_data_files import downloads

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    client = Client()
    start_rss = _rss_mb()
    plan = Plan.objects.get(slug=settings.KEK_PLAN_SLUG)
    client.get("/daten/plan.schema.json").getvalue()  # the process's first request: warm-up
    served: dict[str, list[float]] = {}
    for offered in downloads(plan):
        answered, whole = [], []
        for _ in range(RUNS):
            begin = time.perf_counter()
            response = client.get(f"/daten/{offered.filename}")
            answered.append(time.perf_counter() - begin)  # the server's work: file found, opened
            body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
            whole.append(time.perf_counter() - begin)  # plus reading every byte in Python
            if response.status_code != 200 or not body:
                raise SystemExit(f"{offered.filename}: HTTP {response.status_code}")
        served[f"{offered.filename} answered"] = answered
        served[f"{offered.filename} read whole"] = whole
    for url in [*PAGES.values(), "/daten/", "/daten/dcat"]:
        cache.clear()
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    return {"served": served, "rss_start": start_rss, "rss_after": _rss_mb(), "peak": _peak_mb()}


def _child(*arguments: str) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    output = subprocess.run(
        [sys.executable, __file__, *arguments],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def _fresh_postgres(url: str, scale: int) -> str:
    """An empty PostgreSQL database for one scale, beside the one of url (a superuser's)."""
    import psycopg

    name = f"kek_downloads_{scale}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + "/" + name


def main() -> None:
    """Measure both scales and print timings (seconds) and rates (MB, ratio)."""
    base = os.environ.get("DATABASE_URL")
    results: dict[str, object] = {}
    rates: dict[str, float] = {}
    after: dict[int, float] = {}
    for scale in SCALES:
        work = Path(tempfile.mkdtemp())
        database = _fresh_postgres(base, scale) if base else f"sqlite:///{work / 'bench.sqlite3'}"
        folder = str(work / "downloads")
        suffix = "KEK 2030" if scale == 1 else f"{scale}× KEK 2030"
        _child("prepare", str(scale), database, folder)
        built = _child("build", database, folder)
        results[f"open data: build of all files, {suffix}"] = [built["seconds"]]
        for name, seconds in built["files"].items():
            kind = name.replace("kek-2030-", "")
            results[f"open data: build {kind}, {suffix}"] = [seconds]
        rates[f"open data: build peak RSS MB, {suffix}"] = built["peak"]
        rates[f"open data: plan.json MB, {suffix}"] = built["sizes"]["kek-2030-plan.json"] / 1e6
        served = _child("serve", database, folder)
        for name, seconds in served["served"].items():
            kind = name.replace("kek-2030-", "")
            results[f"open data: serve {kind}, {suffix}"] = seconds
        after[scale] = served["rss_after"]
        rates[f"worker RSS MB after every page type, {suffix}"] = after[scale]
        rates[f"worker peak RSS MB in that pass, {suffix}"] = served["peak"]
    if len(after) == 2:
        rates["worker RSS ratio 100×/1× (target ≤ 2)"] = after[100] / after[1]
    results["rates"] = rates
    print(json.dumps(results))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "prepare":
        prepare(int(sys.argv[2]), sys.argv[3], sys.argv[4])
        print("{}")
    elif len(sys.argv) > 1 and sys.argv[1] in ("build", "serve"):
        action = build if sys.argv[1] == "build" else serve
        print(json.dumps(action(sys.argv[2], sys.argv[3])))
    else:
        main()
