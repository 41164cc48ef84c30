"""The measure facets (`MeasureFacet`): the portal's filter values, derived from the placements."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import models
from django.db.models import Value

from plans.models import (
    MeasureFacet,
    Node,
    Placement,
    PlacementKeyProject,
    PlacementLead,
    PlacementParticipant,
)
from plans.query_chunks import chunks, create_batch_size, update_batch_size


def _measure_facets(plan_id: int) -> dict[tuple[str, str], list[int]]:
    """(facet, value) → ids of the measures having it through some placement, in number order.

    Two queries, whatever the plan's size (the import's query budget is tight).
    """
    Facet = MeasureFacet.Facet
    named: list[models.QuerySet[Any]] = [
        model._default_manager.filter(
            placement__plan_id=plan_id, placement__measure__deleted_at__isnull=True
        )
        .order_by()
        .values_list(Value(facet), "placement__measure_id", target)
        for model, facet, target in (
            (PlacementLead, Facet.LEAD, "organisation__abbreviation"),
            (PlacementParticipant, Facet.PARTICIPANT, "organisation__abbreviation"),
            (PlacementKeyProject, Facet.KEY_PROJECT, "key_project__code"),
        )
    ]
    subgoals: set[str] = set()
    nodes = Node.objects.filter(plan_id=plan_id, level=3).order_by()
    values: dict[tuple[str, str], set[int]] = defaultdict(set)
    # One query: the organisations and key projects printed in the rows, and the sub-goals'
    # keys (the rows with an empty facet).
    for facet, measure_id, value in named[0].union(
        *named[1:], nodes.values_list(Value(""), Value(0), "key"), all=True
    ):
        if facet:
            values[(facet, value)].add(measure_id)
        else:
            subgoals.add(value)
    sort_keys: dict[int, tuple[int, int, str]] = {}
    for measure_id, *sort_key, field_number, goal_code, node_key, level, commission in (
        Placement.objects.filter(plan_id=plan_id)
        .order_by()
        .values_list(
            "measure_id",
            "measure__field_part",
            "measure__seq",
            "measure__number",
            "field_number",
            "goal_code",
            "node__key",
            "priority_level",
            "commission",
        )
    ):
        sort_keys[measure_id] = tuple(sort_key)  # type: ignore[assignment]
        values[(Facet.FIELD, str(field_number))].add(measure_id)
        values[(Facet.GOAL, goal_code)].add(measure_id)
        # The sub-goal filter matches the sub-goal's own rows and those of its approaches.
        parts = node_key.split(".")
        for length in range(1, len(parts) + 1):
            prefix = ".".join(parts[:length])
            if prefix in subgoals:
                values[(Facet.SUBGOAL, prefix)].add(measure_id)
        if level is not None:
            values[(Facet.PRIORITY, str(level))].add(measure_id)
        if commission:
            values[(Facet.COMMISSION, "1")].add(measure_id)
    # Measure.objects.in_number_order(): by field part, sequence number, number.
    return {key: sorted(ids, key=sort_keys.__getitem__) for key, ids in values.items()}


def refresh_measure_facets(plan_id: int) -> None:
    """Bring the plan's measure facets in line with its placements (writes only differences)."""
    wanted = _measure_facets(plan_id)
    stored = {(f.facet, f.value): f for f in MeasureFacet.objects.filter(plan_id=plan_id)}
    changed = []
    for key, facet in stored.items():
        if key in wanted and facet.measure_ids != wanted[key]:
            facet.measure_ids = wanted[key]
            facet.measure_count = len(facet.measure_ids)
            changed.append(facet)
    fields = ["measure_ids", "measure_count"]
    MeasureFacet.objects.bulk_update(
        changed, fields, batch_size=min(100, update_batch_size(fields))
    )
    for chunk in chunks(f.pk for k, f in stored.items() if k not in wanted):
        MeasureFacet.objects.filter(pk__in=chunk).delete()
    MeasureFacet.objects.bulk_create(
        [
            MeasureFacet(
                plan_id=plan_id, facet=facet, value=value, measure_count=len(ids), measure_ids=ids
            )
            for (facet, value), ids in sorted(wanted.items())
            if (facet, value) not in stored
        ],
        batch_size=min(100, create_batch_size(MeasureFacet)),
    )
