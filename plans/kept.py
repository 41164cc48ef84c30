"""Results derived from a whole plan, computed once per revision and kept in the cache.

Some figures a page shows read the whole plan (the roll-ups' statuses, the interlinking
matrix): at the 100× plan that is a tenth of a second, on every render. `kept_per_revision`
computes such a result once per plan revision (or catalogue revision, for results of the
catalogue alone) and keeps it in the default cache, shared by the workers with Redis. A new
revision is a new key, so nothing is ever invalidated by hand; old keys expire.

The revision is read from the database, not taken from a `Plan` object, which may have been
read before a change. Inside a transaction nothing is kept: what it reads may be rolled back,
and the revision it would be kept under then belongs to another change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connections, router

from plans.models import Plan

T = TypeVar("T")
# Results of old revisions are never read again: they expire soon (during a round with a
# publication a second, at the 100× plan a few hundred kilobytes each would otherwise pile up
# in Redis for an hour); a quiet plan recomputes its results once per period.
KEPT_SECONDS = 300
_FORMAT = 1  # part of every key: a release that changes what is kept starts afresh


def _key(plan_id: int, name: str, catalogue: bool) -> str | None:
    """The key of name for the plan's current revision; None inside a transaction."""
    if connections[router.db_for_read(Plan)].in_atomic_block:
        return None
    field = "catalogue_revision" if catalogue else "revision"
    revision = Plan.objects.filter(pk=plan_id).values_list(field, flat=True).first()
    return f"plans:kept:{_FORMAT}:{plan_id}:{field}:{revision}:{name}"


def kept_per_revision(
    plan_id: int, name: str, compute: Callable[[], T], *, catalogue: bool = False
) -> T:
    """compute()'s result for the plan's current revision (with `catalogue`: its catalogue
    revision), computed at most once per revision outside transactions."""
    key = _key(plan_id, name, catalogue)
    if key is None:
        return compute()
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, KEPT_SECONDS)
    return found


def kept_already(plan_id: int, name: str, *, catalogue: bool = False) -> Any:
    """What `kept_per_revision` keeps under name for the current revision, or None."""
    key = _key(plan_id, name, catalogue)
    return None if key is None else cache.get(key)
