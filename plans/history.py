"""The catalogue's audit trail (django-simple-history, registered by the monitoring app).

The document import writes in bulk without history rows (its import report is its record).
Before the first change of an entry outside the import, its stored state is recorded as it was
imported, so the history can show the old values and restore them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from plans.models import Plan, Step
from plans.query_chunks import chunks, create_batch_size


def plan_id_of(obj: object) -> int:
    """The plan a catalogue entry belongs to."""
    if isinstance(obj, Plan):
        return obj.pk
    if isinstance(obj, Step):
        return obj.placement.plan_id
    return obj.plan_id  # type: ignore[attr-defined]


def record_imported_states(model: type[Any], pks: Iterable[int]) -> None:
    """Give each entry without history a first record: its stored (imported) state."""
    pks = set(pks)
    recorded: set[int] = set()
    for chunk in chunks(pks):
        recorded |= set(model.history.filter(id__in=chunk).values_list("id", flat=True).distinct())
    by_plan: dict[int, list[Any]] = defaultdict(list)
    for chunk in chunks(pks - recorded):
        for obj in model._base_manager.filter(pk__in=chunk):
            by_plan[plan_id_of(obj)].append(obj)
    imported_at = dict(Plan.objects.filter(pk__in=by_plan).values_list("pk", "imported_at"))
    for plan_id, objs in by_plan.items():  # dated at the plan's import
        model.history.bulk_history_create(
            objs,
            default_change_reason=_("As imported from the document"),
            default_date=imported_at[plan_id],
            batch_size=create_batch_size(model.history.model),
        )
