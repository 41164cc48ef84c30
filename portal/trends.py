"""How the statuses changed over the reporting rounds: the trend charts of the progress page.

For the whole plan and for each group of a facet (a Leitziel), one bar per round with a
published report and a table with the same numbers (rounds as rows). The counts are
`monitoring.rollups.rollups_by_round`: each round as it stood then.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitoring import rollups, status_chart


@dataclass(frozen=True)
class TrendRow:
    """A round as a row of the trend table: its counts per status, without report, total."""

    round_name: str
    counts: list[int]
    total: int


@dataclass(frozen=True)
class Trend:
    """A group's statuses in every round: a bar per round and the table rows."""

    anchor: str
    heading: str
    bars: list[status_chart.StatusBar]
    rows: list[TrendRow]


def _trend(anchor: str, heading: str, data: list[rollups.RoundRollups], value: str | None) -> Trend:
    bars, rows = [], []
    for entry in data:
        table = entry.table
        rollup = table.whole_plan if value is None else table.group(value)
        if rollup is None:
            continue
        name = entry.reporting_round.name
        bars.append(
            status_chart.status_bar(f"{anchor}-{entry.reporting_round.pk}", name, table, rollup)
        )
        rows.append(TrendRow(name, [*rollup.counts, rollup.without_report], rollup.total))
    return Trend(anchor, heading, bars, rows)


def whole_plan_trend(heading: str, data: list[rollups.RoundRollups]) -> Trend:
    """The whole plan's statuses in every round (each measure once)."""
    return _trend("verlauf-plan", heading, data, None)


def group_trends(
    data: list[rollups.RoundRollups], headings: dict[str, str], prefix: str
) -> list[Trend]:
    """Each group's statuses in every round, in the groups' natural order."""
    values = data[-1].table.groups if data else []
    return [
        _trend(f"{prefix}-{g.value}", headings.get(g.value, g.value), data, g.value) for g in values
    ]
