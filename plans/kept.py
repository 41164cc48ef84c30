"""Results derived from a whole plan, computed once per revision and kept in the cache.

Some figures a page shows read the whole plan (the roll-ups' statuses, the interlinking
matrix): at the 100× plan that is a tenth of a second, on every render. `kept_per_revision`
computes such a result once per plan revision (or catalogue revision, for results of the
catalogue alone) and keeps it in the default cache, shared by the workers with Redis. A new
revision is a new key, so nothing is ever invalidated by hand; old keys expire.

The revision is read from the database, not taken from a `Plan` object, which may have been
read before a change. Inside a transaction nothing is kept: what it reads may be rolled back,
and the revision it would be kept under then belongs to another change.

A result of the statuses can be brought up to date instead of computed afresh
(`update=`): a publication records which measures it changed (`remember_status_change`, a
plan-change listener, after the commit), and a revision whose result is missing takes the
nearest earlier one kept and re-reads only the measures changed since. A change without a
record (the catalogue's, or one whose record is not written yet) means: compute afresh.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connections, router

from plans.models import Plan
from plans.services.revisions import PlanChange

T = TypeVar("T")
# Results of old revisions are never read again: they expire soon (during a round with a
# publication a second, at the 100× plan a few hundred kilobytes each would otherwise pile up
# in Redis for an hour); a quiet plan recomputes its results once per period.
KEPT_SECONDS = 300
_FORMAT = 1  # part of every key: a release that changes what is kept starts afresh


# How many publications back a missing result is brought up to date from a kept one.
UPDATE_STEPS = 30


def _revision(plan_id: int, catalogue: bool) -> int | None:
    """The plan's current (catalogue) revision; None inside a transaction."""
    if connections[router.db_for_read(Plan)].in_atomic_block:
        return None
    field = "catalogue_revision" if catalogue else "revision"
    return Plan.objects.filter(pk=plan_id).values_list(field, flat=True).first()


def _key(plan_id: int, name: str, catalogue: bool, revision: int) -> str:
    field = "catalogue_revision" if catalogue else "revision"
    return f"plans:kept:{_FORMAT}:{plan_id}:{field}:{revision}:{name}"


def _changes_key(plan_id: int, revision: int) -> str:
    return f"plans:kept:{_FORMAT}:{plan_id}:statuses-changed:{revision}"


def remember_status_change(change: PlanChange) -> None:
    """Record which measures' statuses made the change's revision (a plan-change listener,
    called after the commit); a change of the catalogue records nothing."""
    if not change.catalogue:
        key = _changes_key(change.plan_id, change.revision)
        cache.set(key, sorted(change.measure_ids), KEPT_SECONDS)


def _brought_up_to_date(
    plan_id: int, name: str, revision: int, update: Callable[[T, list[int]], T]
) -> T | None:
    """The result of the nearest earlier revision kept, updated for the measures changed
    since; None if there is none within UPDATE_STEPS or a change between has no record."""
    changed: set[int] = set()
    for earlier in range(revision - 1, max(revision - 1 - UPDATE_STEPS, -1), -1):
        measures = cache.get(_changes_key(plan_id, earlier + 1))
        if measures is None:
            return None
        changed.update(measures)
        found = cache.get(_key(plan_id, name, False, earlier))
        if found is not None:
            return update(found, sorted(changed))
    return None


def kept_per_revision(
    plan_id: int,
    name: str,
    compute: Callable[[], T],
    *,
    catalogue: bool = False,
    update: Callable[[T, list[int]], T] | None = None,
) -> T:
    """compute()'s result for the plan's current revision (with `catalogue`: its catalogue
    revision), computed at most once per revision outside transactions. With update, a
    result of the statuses: update(earlier result, ids of the measures changed since) brings
    an earlier revision's result up to date where it can."""
    revision = _revision(plan_id, catalogue)
    if revision is None:
        return compute()
    key = _key(plan_id, name, catalogue, revision)
    found = cache.get(key)
    if found is None:
        if update is not None and not catalogue:
            found = _brought_up_to_date(plan_id, name, revision, update)
        if found is None:
            found = compute()
        cache.set(key, found, KEPT_SECONDS)
    return found


def kept_already(plan_id: int, name: str, *, catalogue: bool = False) -> Any:
    """What `kept_per_revision` keeps under name for the current revision, or None."""
    revision = _revision(plan_id, catalogue)
    return None if revision is None else cache.get(_key(plan_id, name, catalogue, revision))
