"""The rows of the open-data files that join the catalogue with the monitoring.

The per-measure file carries what the catalogue says of a measure (from its first placement
in its home field, as the measure list shows it) and its current status (`monitoring.reads.
status_rows`, i.e. `giving_status`); the cells are rendered by plans.exporters and
open_data_formats like every other file. `excel_csv` makes the variant German Excel opens
with a double-click.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from monitoring import reads as monitoring_reads
from plans.models import Placement, PlacementKeyProject, Plan

Row = dict[str, object]

# The status file's columns, with the catalogue's columns after the title.
MEASURE_COLUMNS: tuple[str, ...] = (
    "number",
    "title",
    "field",
    "goal",
    "lead",
    "participants",
    "priority",
    "key_projects",
    "commission",
    "status",
    "status_label",
    "progress",
    "round",
    "reporting_date",
    "office",
)
CATALOGUE_COLUMNS = ("goal", "lead", "participants", "priority", "key_projects", "commission")
# UTF-8's byte order mark: how Excel recognises a CSV file as UTF-8 (without it, Excel reads
# the bytes as Windows-1252 and "Maßnahme" becomes "MaÃŸnahme").
BOM = "\ufeff".encode()


def measure_rows(plan: Plan) -> list[Row]:
    """One row per measure in number order: its catalogue columns and its current status."""
    key_projects: dict[int, list[str]] = defaultdict(list)
    for measure_id, code in (
        PlacementKeyProject.objects.filter(placement__plan=plan)
        .order_by("placement__order", "position")
        .values_list("placement__measure_id", "key_project__code")
    ):
        if code not in key_projects[measure_id]:
            key_projects[measure_id].append(code)
    # Each measure's catalogue columns from the row the measure list shows too
    # (plans' `representative_row`).
    shown = {
        placement.measure.number: placement
        for placement in Placement.objects.filter(plan=plan)
        .select_related("measure")
        .only(
            *("measure__number", "field_number", "parent_id", "order", "plan_id"),
            *("goal_code", "lead", "participants", "priority"),
        )
        .representatives()
        .values()
    }
    commission = set(
        Placement.objects.filter(plan=plan, commission=True).values_list(
            "measure__number", flat=True
        )
    )
    rows = []
    for status in monitoring_reads.status_rows(plan):
        number = str(status["number"])
        placement = shown.get(number)
        catalogue = {
            "goal": placement.goal_code if placement else "",
            "lead": placement.lead if placement else "",
            "participants": placement.participants if placement else "",
            "priority": placement.priority if placement else "",
            "key_projects": ";".join(key_projects.get(placement.measure_id, []))
            if placement
            else "",
        }
        row = {column: status.get(column, "") for column in MEASURE_COLUMNS}
        for column in CATALOGUE_COLUMNS[:-1]:
            row[column] = catalogue.get(column, "")
        row["commission"] = int(number in commission)
        rows.append(row)
    return rows


def excel_csv(data: bytes) -> bytes:
    """The CSV for German Excel: semicolons (its list separator) and UTF-8 with a BOM.

    Excel opens a double-clicked .csv with the system's list separator, in Germany ";", and
    reads it as UTF-8 only with the byte order mark. The cells stay exactly as the standard
    CSV has them (the same rendering, neutralised formulas included): only re-delimited.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(csv.reader(io.StringIO(data.decode("utf-8"))))
    return BOM + buffer.getvalue().encode("utf-8")
