"""Synthetic larger plans, made from a real one, for query-count tests and benchmarks."""

from __future__ import annotations

import copy

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
        for measure in plan.measures:
            clone = copy.copy(measure)
            clone.number = renumber(measure.number, k)
            measures.append(clone)
        offset = k * len(plan.placements)
        for placement in plan.placements:
            clone = copy.copy(placement)
            clone.number = renumber(placement.number, k)
            clone.order = placement.order + offset
            if placement.parent_order is not None:
                clone.parent_order = placement.parent_order + offset
            placements.append(clone)
    scaled.measures = sorted(measures, key=lambda m: (m.home_field, int(m.number.split("-")[1])))
    scaled.placements = placements
    return scaled
