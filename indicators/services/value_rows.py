"""Write many indicator values at once with one prepared INSERT (executemany), on
PostgreSQL with COPY.

The one place this app writes SQL itself. Why: `bulk_create` spends ~0.3 ms per value in
Django's per-field preparation (measured with cProfile in benchmarks/indicators.py: 102,300
values took 30 s and more here, of which the database itself needed about a tenth); the
prepared statement needs no per-field work. Table and column names come from the model's
metadata, values are adapted by the database backend's own operations.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection, models

from indicators.models import Indicator, IndicatorValue

BATCH = 5000


def _column(name: str) -> str:
    """The database column of a field of IndicatorValue."""
    field = IndicatorValue._meta.get_field(name)
    assert isinstance(field, models.Field)
    return str(field.column)


def insert_values(
    rows: Iterable[tuple[int, str, int, datetime.date | None, Decimal, int, str, str, int | None]],
    *,
    origin: str,
    source_file: str,
    recorded_at: datetime.datetime,
    recorded_by_id: int | None,
) -> int:
    """Insert values in force: (indicator id, ags, year, reference date, value, definition
    version, source note, file name ignored, row). Returns how many rows were written."""
    meta = IndicatorValue._meta
    columns = [
        _column(name)
        for name in (
            "indicator",
            "ags",
            "year",
            "reference_date",
            "value",
            "definition_version",
            "origin",
            "source_note",
            "source_file",
            "source_row",
            "recorded_at",
            "recorded_by",
        )
    ]
    quote = connection.ops.quote_name
    statement = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(str(meta.db_table)),
        ", ".join(quote(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    ops = connection.ops
    when = ops.adapt_datetimefield_value(recorded_at)
    value_field = meta.get_field("value")
    assert isinstance(value_field, models.DecimalField)
    digits, places = value_field.max_digits, value_field.decimal_places
    if connection.vendor == "postgresql":
        return _copy_values(
            rows,
            [quote(column) for column in columns],
            origin=origin,
            source_file=source_file,
            recorded_at=recorded_at,
            recorded_by_id=recorded_by_id,
        )
    written = 0
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for indicator_id, ags, year, date, value, version, note, _file, row in rows:
            batch.append(
                (
                    indicator_id,
                    ags,
                    year,
                    ops.adapt_datefield_value(date),
                    ops.adapt_decimalfield_value(value, digits, places),
                    version,
                    origin,
                    note,
                    source_file,
                    row,
                    when,
                    recorded_by_id,
                )
            )
            if len(batch) >= BATCH:
                cursor.executemany(statement, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(statement, batch)
            written += len(batch)
    return written


# Rows after which a COPY brings the table's statistics up to date.
ANALYZE_AFTER = 1000


def _copy_values(
    rows: Iterable[tuple[int, str, int, datetime.date | None, Decimal, int, str, str, int | None]],
    columns: list[str],
    *,
    origin: str,
    source_file: str,
    recorded_at: datetime.datetime,
    recorded_by_id: int | None,
) -> int:
    """PostgreSQL: the same rows through COPY, which psycopg adapts itself. executemany took
    two thirds of the import there (22 s of 28 s for 102,300 values in benchmarks/indicators.py,
    row by row through the pipeline); COPY streams them."""
    statement = "COPY {} ({}) FROM STDIN".format(
        connection.ops.quote_name(str(IndicatorValue._meta.db_table)), ", ".join(columns)
    )
    written = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for indicator_id, ags, year, date, value, version, note, _file, row in rows:
            copy.write_row(
                (
                    indicator_id,
                    ags,
                    year,
                    date,
                    value,
                    version,
                    origin,
                    note,
                    source_file,
                    row,
                    recorded_at,
                    recorded_by_id,
                )
            )
            written += 1
    if written >= ANALYZE_AFTER:
        # The planner's statistics of a freshly filled table say it is (nearly) empty until
        # autovacuum gets to it: the Gemeinde page then read every value (64 → 45 ms at
        # 102,300 values in benchmarks/indicators.py). ANALYZE runs inside the transaction.
        # The indicators too: a large import tends to follow their definition, and while the
        # planner takes a plan for one indicator it probes the values per indicator (69 → 52
        # ms for the Gemeinde page).
        tables = (IndicatorValue._meta.db_table, Indicator._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
    return written
