"""make bench: run every benchmark on SQLite and PostgreSQL and print one table.

Figures are medians and 95th percentiles over BENCH_RUNS runs (default 7) on this machine.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SUITES = ["benchmarks/catalogue.py"]


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def run_suite(script: str, database: str) -> dict[str, list[float]]:
    """Run one benchmark script against one database and return its timings."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    command = [PYTHON, script]
    if database == "PostgreSQL":
        command = ["scripts/with-postgres.sh", *command]
    output = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    """Print the benchmark table."""
    databases = ["SQLite"]
    if shutil.which("pg_ctlcluster") or list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        databases.append("PostgreSQL")
    rows = []
    for script in SUITES:
        for database in databases:
            for name, values in run_suite(script, database).items():
                rows.append(
                    (
                        name,
                        database,
                        statistics.median(values),
                        percentile(values, 0.95),
                        len(values),
                    )
                )
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark':<{width}}  {'database':<10}  {'median ms':>10}  {'p95 ms':>8}  runs")
    print(f"{'-' * width}  {'-' * 10}  {'-' * 10}  {'-' * 8}  ----")
    for name, database, median, p95, runs in rows:
        figures = f"{median * 1000:>10.1f}  {p95 * 1000:>8.1f}  {runs:>4}"
        print(f"{name:<{width}}  {database:<10}  {figures}")


if __name__ == "__main__":
    main()
