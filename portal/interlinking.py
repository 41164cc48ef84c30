"""How the plan's fields interlink: measures placed under a field other than their home field.

The matrix and the list of interlinked measures read every placement of the plan; they are
counted once per catalogue revision and kept (`plans.kept`), so the page pages through a kept
list of ids.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, QuerySet

from plans.kept import kept_per_revision
from plans.models import Measure, Node, Placement, Plan


def field_labels(plan: Plan) -> dict[int, str]:
    """Field number → label, from the plan's level-1 nodes (one query)."""
    labels: dict[int, str] = {}
    for position, node in enumerate(Node.objects.filter(plan=plan).fields().in_document_order()):
        number = int(node.code) if node.code.isdigit() else position + 1
        labels[number] = node.label
    return labels


@dataclass
class Interlinking:
    """How the fields interlink: which measures are also placed under other fields."""

    fields: list[tuple[int, str]]
    # matrix[home][other] = number of measures of field `home` also placed under `other`.
    matrix: dict[int, dict[int, int]]
    measure_ids: list[int]  # the interlinked measures, in number order


def _placed_elsewhere(plan: Plan) -> QuerySet[Placement]:
    """The placements of measures under a field other than their home field."""
    return Placement.objects.filter(plan=plan, measure__deleted_at__isnull=True).exclude(
        field_number=F("measure__home_field")
    )


def _interlinking(plan: Plan) -> Interlinking:
    labels = field_labels(plan)
    counts = (
        _placed_elsewhere(plan)
        .order_by()
        .values_list("measure__home_field", "field_number")
        .annotate(measures=Count("measure_id", distinct=True))
    )
    cells = {(home, other): n for home, other, n in counts}
    numbers = sorted(set(labels).union(*cells))
    matrix = {home: dict.fromkeys(numbers, 0) for home in numbers}
    for (home, other), count in cells.items():
        matrix[home][other] = count
    measure_ids = Measure.objects.filter(
        plan=plan, pk__in=_placed_elsewhere(plan).values("measure_id")
    ).in_number_order()
    return Interlinking(
        fields=[(number, labels.get(number, "")) for number in numbers],
        matrix=matrix,
        measure_ids=list(measure_ids.values_list("pk", flat=True)),
    )


def interlinking(plan: Plan) -> Interlinking:
    """The matrix of the plan's fields and the interlinked measures, counted by the database
    (three queries) once per catalogue revision and kept (`plans.kept`): at the 100× plan the
    counting took most of the page's time."""
    return kept_per_revision(plan.pk, "interlinking", lambda: _interlinking(plan), catalogue=True)


def other_fields(plan: Plan, measures: list[Measure]) -> dict[int, list[int]]:
    """Measure id → the fields other than its home field it is placed under (one query)."""
    others: dict[int, set[int]] = defaultdict(set)
    for measure_id, field_number in (
        _placed_elsewhere(plan)
        .filter(measure__in=measures)
        .order_by()
        .values_list("measure_id", "field_number")
        .distinct()
    ):
        others[measure_id].add(field_number)
    return {measure_id: sorted(numbers) for measure_id, numbers in others.items()}
