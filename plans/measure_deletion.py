"""Soft deletion of measures: out of the plan's pages, lists, exports and worklists, but kept
in the database with their placements, status reports, comments and history, and restorable.

The back office and the document import both go through here; every deletion and restoration
is a new history record naming who did it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.history import record_imported_states
from plans.models import Measure, Placement
from plans.services import CatalogueChange, mark_catalogue_changed


@dataclass
class DeletionResult:
    """Which measures a deletion or restoration changed, and which it refused and why."""

    done: list[Measure] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # German sentences


def _record(measures: list[Measure], user: Any, reason: str) -> None:
    """Save the measures' deletion fields with a history record under user and reason."""
    for measure in measures:
        measure._history_user = user
        measure._change_reason = reason
        measure.save(update_fields=["deleted_at", "deleted_by", "deletion_note"])


def _mark_changed(measures: list[Measure]) -> None:
    """A new revision of each plan concerned, its facets and indexes updated for measures."""
    for plan_id in sorted({m.plan_id for m in measures}):
        changed = [m for m in measures if m.plan_id == plan_id]
        mark_catalogue_changed(plan_id, CatalogueChange.of(plan_id, changed))


@transaction.atomic
def soft_delete_measures(measure_ids: list[int], *, user: Any, note: str = "") -> DeletionResult:
    """Delete measures softly in the back office; note says why (kept with the measure)."""
    result = DeletionResult()
    measures = list(
        Measure.all_objects.select_for_update().filter(pk__in=measure_ids).order_by("pk")
    )
    for measure in measures:
        if measure.is_deleted:
            result.refused.append(
                _("Measure %(number)s is already deleted.") % {"number": measure.number}
            )
        else:
            result.done.append(measure)
    record_imported_states(Measure, [m.pk for m in result.done])
    now = timezone.now()
    for measure in result.done:
        measure.deleted_at, measure.deleted_by, measure.deletion_note = now, user, note.strip()
    _record(result.done, user, note.strip() or _("Deleted"))
    _mark_changed(result.done)
    return result


@transaction.atomic
def restore_measures(measure_ids: list[int], *, user: Any) -> DeletionResult:
    """Bring softly deleted measures back into the plan.

    A measure the document import dropped has no placement left, so it would have no place in
    the plan: it comes back with an import of a document that contains it again.
    """
    result = DeletionResult()
    measures = list(
        Measure.all_objects.select_for_update().filter(pk__in=measure_ids).order_by("pk")
    )
    placed = set(
        Placement.all_objects.filter(measure__in=measures).values_list("measure_id", flat=True)
    )
    for measure in measures:
        if not measure.is_deleted:
            result.refused.append(
                _("Measure %(number)s is not deleted.") % {"number": measure.number}
            )
        elif measure.pk not in placed:
            result.refused.append(
                _(
                    "Measure %(number)s is no longer in the document; an import of a document "
                    "that contains it brings it back."
                )
                % {"number": measure.number}
            )
        else:
            measure.deleted_at, measure.deleted_by, measure.deletion_note = None, None, ""
            result.done.append(measure)
    _record(result.done, user, _("Restored"))
    _mark_changed(result.done)
    return result
