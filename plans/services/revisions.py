"""The plan's revision and what a change of the catalogue brings along.

The revision counts every change of what the plan's pages show (the truth the page cache and the
API's ETags follow). A change of the catalogue also refreshes the measure facets and the
catalogue indexes of the apps above (the search index), in the caller's transaction and for the
changed entries only. After the transaction commits, the registered plan-change listeners hear
what changed (`PlanChange`): the portal's page cache invalidates just that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class PlanChange:
    """What a committed write changed of what a plan's pages show.

    `catalogue` means anything any page may show (an import, the back office, indicators);
    otherwise only the statuses of `measure_ids` changed (a published report).
    """

    plan_id: int
    revision: int  # Plan.revision after the change
    catalogue: bool = True
    measure_ids: frozenset[int] = frozenset()


PlanChangeListener = Callable[[PlanChange], None]
# Caches and files of the apps above plans (the portal's page cache) register here once at
# start-up (`AppConfig.ready`); each is called after the change's transaction commits, so no
# process can see the old state again after it ran. A failing listener is logged, never raised
# to the writer: the write has committed, and the revision (the truth) has moved on.
_plan_change_listeners: list[PlanChangeListener] = []


def register_plan_change_listener(listener: PlanChangeListener) -> None:
    """Have listener(change) called after every committed change of a plan's pages."""
    if listener not in _plan_change_listeners:
        _plan_change_listeners.append(listener)


def announce_plan_change(change: PlanChange) -> None:
    """Tell the listeners about change once the current transaction commits (now without one)."""

    def tell() -> None:
        for listener in _plan_change_listeners:
            listener(change)

    transaction.on_commit(tell, robust=True)


def _next_revision(plan_id: int, *, catalogue: bool) -> int:
    counted: dict[str, Any] = {"revision": F("revision") + 1}
    if catalogue:
        counted["catalogue_revision"] = F("catalogue_revision") + 1
    Plan.objects.filter(pk=plan_id).update(**counted)
    revision = Plan.objects.filter(pk=plan_id).values_list("revision", flat=True).first()
    return revision or 0


def mark_plan_changed(plan_id: int) -> None:
    """Count a change that any page of the plan may show (indicators, settings): new revision."""
    announce_plan_change(PlanChange(plan_id, _next_revision(plan_id, catalogue=True)))


def mark_statuses_changed(plan_id: int, measure_ids: Iterable[int]) -> None:
    """Count a change of the statuses of some measures (a published report): new revision.

    The portal re-renders those measures' pages and the pages that list statuses, no others.
    """
    revision = _next_revision(plan_id, catalogue=False)
    announce_plan_change(
        PlanChange(plan_id, revision, catalogue=False, measure_ids=frozenset(measure_ids))
    )


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
