"""The roll-up block of a page: a small status chart with its numbers, for one or more groups.

The counts are monitoring's roll-ups (`monitoring.rollups.rollups`), the bars and the table
rows monitoring's status chart (`monitoring.status_chart`); this module only puts the groups a
page names (a field and its goals, a goal, a sub-goal, a key project, a lead office) side by
side. Every page draws it with `portal/partials/rollup_block.html`.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitoring import rollups, status_chart
from plans.models import Plan


@dataclass(frozen=True)
class Group:
    """A group a page shows: its facet and value, and its heading on the page."""

    facet: str
    value: str
    heading: str


@dataclass(frozen=True)
class BlockRow:
    """A row of the block's table: one status (or "no published report") across the groups."""

    colour: str
    label: str
    counts: list[int]


@dataclass(frozen=True)
class RollupBlock:
    """What the partial draws: legend, a bar per group, the table and the reported share."""

    anchor: str
    legend: list[status_chart.LegendEntry]
    headings: list[str]
    bars: list[status_chart.StatusBar]
    rows: list[BlockRow]
    totals: list[int]
    reported: list[int]
    percent_reported: list[int]

    @property
    def empty(self) -> bool:
        """No group has a measure: the page shows no block."""
        return not any(self.totals)


def rollup_block(plan: Plan, anchor: str, groups: list[Group]) -> RollupBlock:
    """The block of the given groups, in their order (three queries per facet named)."""
    tables: dict[str, rollups.RollupTable] = {}
    for facet in dict.fromkeys(g.facet for g in groups):
        values = [g.value for g in groups if g.facet == facet]
        # Only the statuses of the shown groups' measures are read; each group's numbers
        # count all of its measures (whatever page of their list is shown).
        tables[facet] = rollups.rollups(plan, facet, values=values, groups_only=True)
    statuses = next(iter(tables.values())).statuses if tables else []
    entries = status_chart.legend(statuses)
    shown: list[tuple[Group, rollups.RollupTable, rollups.Rollup]] = []
    for group in groups:
        table = tables[group.facet]
        found = table.group(group.value)
        rollup = found or rollups.Rollup(group.value, (0,) * len(statuses), 0, 0)
        shown.append((group, table, rollup))
    rows = []
    for index, entry in enumerate(entries):
        counts = [
            rollup.counts[index] if index < len(statuses) else rollup.without_report
            for _group, _table, rollup in shown
        ]
        rows.append(BlockRow(entry.colour, entry.label, counts))
    return RollupBlock(
        anchor=anchor,
        legend=entries,
        headings=[group.heading for group, _table, _rollup in shown],
        bars=[
            status_chart.status_bar(f"{anchor}-{n}", group.heading, table, rollup)
            for n, (group, table, rollup) in enumerate(shown)
        ],
        rows=rows,
        totals=[rollup.total for _group, _table, rollup in shown],
        reported=[rollup.reported for _group, _table, rollup in shown],
        percent_reported=[round(100 * rollup.share_reported) for _g, _t, rollup in shown],
    )
