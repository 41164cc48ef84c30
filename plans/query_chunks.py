"""Bounded statements: IN lists and bulk writes in chunks every database accepts.

SQLite refuses a statement with more variables than its limit ("too many SQL variables"; Django
batches its own bulk writes to `features.max_query_params`, 999); PostgreSQL has no such limit,
but a statement with hundreds of thousands of values is slow to build and to plan. So a list of
ids whose length grows with the plan is never written into one statement: it goes in chunks of
`chunk_size()` values, and bulk writes in batches of `create_batch_size` / `update_batch_size`.
A large plan (1000×, 307,000 placements) thus imports on both databases.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from django.db import connection, models

T = TypeVar("T")

# Variables per statement where the database sets no limit (PostgreSQL).
UNLIMITED_DATABASE_VARIABLES = 20_000
# Room for the statement's other variables (plan id, a status, …) beside an IN list.
OTHER_VARIABLES = 20


def variable_limit() -> int:
    """The most variables one statement may have on the default database."""
    limit = connection.features.max_query_params
    return int(limit) if limit else UNLIMITED_DATABASE_VARIABLES


def chunk_size() -> int:
    """How many values one IN list may hold."""
    return max(1, variable_limit() - OTHER_VARIABLES)


def chunks(values: Iterable[T], size: int | None = None) -> Iterator[list[T]]:
    """The values in lists of at most size (chunk_size()) values, in their order."""
    size = size or chunk_size()
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def create_batch_size(model: type[models.Model]) -> int:
    """Rows per INSERT of model: one variable per field and row (not the generated id)."""
    fields = len(model._meta.concrete_fields) - (1 if model._meta.auto_field else 0)
    return max(1, variable_limit() // max(1, fields))


def update_batch_size(fields: Iterable[Any]) -> int:
    """Rows per bulk_update: a CASE with a pk and a value per field and row, and the pk list."""
    return max(1, (variable_limit() - OTHER_VARIABLES) // (2 * len(list(fields)) + 1))
