"""make bench: run every benchmark and print one table.

Timings are medians and 95th percentiles (nearest rank) in milliseconds over the runs of each
benchmark on this machine; rates (requests per second) are single wrk runs.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# (script and arguments, databases to run it on)
SUITES: list[tuple[list[str], list[str]]] = [
    (["benchmarks/catalogue.py"], ["SQLite", "PostgreSQL"]),
    (["benchmarks/portal.py", "--scale", "1"], ["SQLite", "PostgreSQL"]),
    (["benchmarks/portal.py", "--scale", "100"], ["SQLite", "PostgreSQL"]),
    (["benchmarks/throughput.py"], ["SQLite"]),
    (["benchmarks/search.py", "--scale", "1"], ["SQLite", "PostgreSQL"]),
    (["benchmarks/search.py", "--scale", "100"], ["SQLite", "PostgreSQL"]),
    (["benchmarks/indicators.py"], ["SQLite", "PostgreSQL"]),
    (["benchmarks/report.py"], ["SQLite"]),
    (["benchmarks/workbook.py"], ["SQLite", "PostgreSQL"]),
    (["benchmarks/api.py"], ["SQLite", "PostgreSQL"]),
    (["benchmarks/backup.py"], ["SQLite", "PostgreSQL"]),
    (["benchmarks/oparl.py"], ["SQLite", "PostgreSQL"]),
    (["benchmarks/sitexport.py"], ["SQLite"]),
    (["benchmarks/downloads.py"], ["SQLite", "PostgreSQL"]),
    (["benchmarks/import_scale.py"], ["SQLite", "PostgreSQL"]),
    (["benchmarks/mixed_traffic.py", "--scale", "1"], ["SQLite", "PostgreSQL"]),
    (["benchmarks/mixed_traffic.py", "--scale", "100"], ["SQLite", "PostgreSQL"]),
]


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def run_suite(command: list[str], database: str) -> dict:
    """Run one benchmark script against one database and return what it printed."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    command = [PYTHON, *command]
    if database == "PostgreSQL":
        command = ["scripts/with-postgres.sh", *command]
    output = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    """Print the benchmark table."""
    timings, rates = [], []
    for command, databases in SUITES:
        for database in databases:
            result = run_suite(command, database)
            for name, value in result.pop("rates", {}).items():
                rates.append((name, database, value))
            for name, values in result.items():
                timings.append(
                    (
                        name,
                        database,
                        statistics.median(values),
                        percentile(values, 0.95),
                        len(values),
                    )
                )
    width = max(len(row[0]) for row in timings + rates)
    print(f"{'benchmark':<{width}}  {'database':<10}  {'median ms':>10}  {'p95 ms':>8}  runs")
    print(f"{'-' * width}  {'-' * 10}  {'-' * 10}  {'-' * 8}  ----")
    for name, database, median, p95, runs in timings:
        figures = f"{median * 1000:>10.1f}  {p95 * 1000:>8.1f}  {runs:>4}"
        print(f"{name:<{width}}  {database:<10}  {figures}")
    print()
    print(f"{'throughput':<{width}}  {'database':<10}  {'value':>10}")
    print(f"{'-' * width}  {'-' * 10}  {'-' * 10}")
    for name, database, value in rates:
        print(f"{name:<{width}}  {database:<10}  {value:>10.1f}")


if __name__ == "__main__":
    main()
