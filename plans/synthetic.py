"""Synthetic larger plans, made from a real one, for query-count tests and benchmarks."""

from __future__ import annotations

import copy
from dataclasses import replace

from plans.importers.structure import ParsedMeasure, ParsedPlacement, ParsedPlan


def scaled_plan(plan: ParsedPlan, factor: int, slug: str | None = None) -> ParsedPlan:
    """The plan with every measure and placement repeated `factor` times.

    Copy k of measure "2-84" is "2-<84 + k·1000>", placed where the original is; nodes,
    organisations and key projects stay as they are, so each page just gets more rows.
    """
    scaled = copy.copy(plan)
    scaled.slug = slug or plan.slug
    measures: list[ParsedMeasure] = []
    placements: list[ParsedPlacement] = []

    def renumber(number: str, k: int) -> str:
        field, seq = number.split("-")
        return f"{field}-{int(seq) + k * 1000}"

    for k in range(factor):
        measures.extend(
            replace(measure, number=renumber(measure.number, k)) for measure in plan.measures
        )
        offset = k * len(plan.placements)
        placements.extend(
            replace(
                placement,
                number=renumber(placement.number, k),
                order=placement.order + offset,
                parent_order=(
                    None if placement.parent_order is None else placement.parent_order + offset
                ),
            )
            for placement in plan.placements
        )
    scaled.measures = sorted(measures, key=lambda m: (m.home_field, int(m.number.split("-")[1])))
    scaled.placements = placements
    return scaled
