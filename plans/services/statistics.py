"""Planner statistics of the catalogue tables, refreshed after bulk writes."""

from __future__ import annotations

from django.db import connection

CATALOGUE_TABLES = (
    "plans_measure",
    "plans_node",
    "plans_organisation",
    "plans_keyproject",
    "plans_placement",
    "plans_placementlead",
    "plans_placementparticipant",
    "plans_placementkeyproject",
    "plans_step",
)


def refresh_statistics() -> None:
    """Refresh the planner statistics of the catalogue tables after a bulk write.

    Without them (SQLite keeps none by itself; PostgreSQL's autovacuum comes later, and never
    inside a transaction) both plan the portal's filters as nested scans: minutes, not
    milliseconds, once a plan has tens of thousands of rows.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(CATALOGUE_TABLES))
        elif connection.vendor == "sqlite":
            for table in CATALOGUE_TABLES:
                cursor.execute(f"ANALYZE {table}")
