"""The plan's revision and what a change of the catalogue brings along.

The revision counts every change of what the plan's pages show (the page cache's key). A change
of the catalogue also refreshes the measure facets and the catalogue indexes of the apps above
(the search index), in the caller's transaction and for the changed entries only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import router, transaction
from django.db.models import F
from django.db.models.deletion import Collector

from plans.models import KeyProject, Measure, Node, Organisation, Placement, Plan, Step

from .facets import refresh_measure_facets


@dataclass(frozen=True)
class CatalogueChange:
    """Which entries of a plan's catalogue a write changed (ids by model), or all of them."""

    plan_id: int
    measure_ids: frozenset[int] = frozenset()
    node_ids: frozenset[int] = frozenset()
    organisation_ids: frozenset[int] = frozenset()
    key_project_ids: frozenset[int] = frozenset()
    everything: bool = False  # an import: rebuild what derives from the catalogue

    @classmethod
    def of(cls, plan_id: int, entries: Iterable[Any]) -> CatalogueChange:
        """The change of the given saved, restored or deleted catalogue entries."""
        ids: dict[str, set[int]] = {"measure": set(), "node": set(), "org": set(), "kp": set()}
        for entry in entries:
            if isinstance(entry, Measure):
                ids["measure"].add(entry.pk)
            elif isinstance(entry, Placement):  # its text is part of its measure's
                ids["measure"].add(entry.measure_id)
            elif isinstance(entry, Step):
                ids["measure"].add(entry.placement.measure_id)
            elif isinstance(entry, Node):
                ids["node"].add(entry.pk)
            elif isinstance(entry, Organisation):
                ids["org"].add(entry.pk)
            elif isinstance(entry, KeyProject):
                ids["kp"].add(entry.pk)
        return cls(
            plan_id,
            measure_ids=frozenset(ids["measure"]),
            node_ids=frozenset(ids["node"]),
            organisation_ids=frozenset(ids["org"]),
            key_project_ids=frozenset(ids["kp"]),
        )

    @classmethod
    def of_deletion(cls, plan_id: int, entries: Iterable[Any]) -> CatalogueChange:
        """The change that deleting entries makes, with everything their deletion cascades to.

        Call it before deleting: it collects the cascade as Django's delete will run it.
        """
        entries = list(entries)
        if not entries:
            return cls(plan_id)
        collector = Collector(using=router.db_for_write(type(entries[0])))
        collector.collect(entries)
        cascaded: list[Any] = [obj for objs in collector.data.values() for obj in objs]
        for queryset in collector.fast_deletes:
            cascaded.extend(queryset)
        return cls.of(plan_id, cascaded)


CatalogueIndex = Callable[[CatalogueChange], None]
# Derived tables of the catalogue kept by apps above plans (which plans may not import): each
# registers its update once at start-up (search: `SearchConfig.ready`); every catalogue write
# below calls them, so no request ever has to bring them up to date.
_catalogue_indexes: list[CatalogueIndex] = []


def register_catalogue_index(update: CatalogueIndex) -> None:
    """Have update(change) called by every change of the catalogue, in its transaction."""
    if update not in _catalogue_indexes:
        _catalogue_indexes.append(update)


def update_catalogue_indexes(change: CatalogueChange) -> None:
    """Bring the registered catalogue indexes in line with a change (import and back office)."""
    for update in _catalogue_indexes:
        update(change)


PlanChangeListener = Callable[[int], None]
# Called with the plan's id after the transaction of a change commits (the open-data files of
# the portal, which plans may not import, register their rebuild: `PortalConfig.ready`).
_plan_change_listeners: list[PlanChangeListener] = []


def register_plan_change_listener(listener: PlanChangeListener) -> None:
    """Have listener(plan_id) called after every committed change of the plan's revision."""
    if listener not in _plan_change_listeners:
        _plan_change_listeners.append(listener)


def mark_plan_changed(plan_id: int) -> None:
    """Count a change of what the plan's pages show (e.g. a published report): new revision."""
    Plan.objects.filter(pk=plan_id).update(revision=F("revision") + 1)
    for listener in _plan_change_listeners:
        transaction.on_commit(partial(listener, plan_id))


def mark_catalogue_changed(plan_id: int, change: CatalogueChange | None = None) -> None:
    """Count a change of the catalogue made outside an import (the back office): a new
    revision, fresh filter facets and the catalogue indexes updated for change.

    Without change, the catalogue indexes are rebuilt for the whole plan.
    """
    with transaction.atomic():
        # The update locks the plan's row, so concurrent changes refresh the facets in turn.
        mark_plan_changed(plan_id)
        refresh_measure_facets(plan_id)
        update_catalogue_indexes(change or CatalogueChange(plan_id, everything=True))
