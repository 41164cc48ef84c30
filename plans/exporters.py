"""Exports of the catalogue: rows produced once, rendered to CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from plans.models import Placement, PlacementKeyProject, Plan
from plans.plan_data import plan_snapshot, plan_to_data
from plans.spreadsheet_cells import for_csv

PLACEMENT_COLUMNS: tuple[str, ...] = (
    "number",
    "field",
    "goal",
    "subgoal",
    "approach",
    "lead",
    "participants",
    "priority",
    "key_projects",
    "commission",
    "line",
)
FORMATS = ("csv", "json")

Row = dict[str, Any]


def placement_rows(plan: Plan) -> list[Row]:
    """One row per placement in document order, with the values as printed (two queries)."""
    return list(iter_placement_rows(plan))


def iter_placement_rows(plan: Plan, *, chunk_size: int = 2000) -> Iterator[Row]:
    """The rows of `placement_rows`, read in chunks: memory stays flat on a large plan."""
    key_projects: dict[int, list[str]] = defaultdict(list)
    for placement_id, code in (
        PlacementKeyProject.objects.filter(placement__plan=plan)
        .order_by("placement_id", "position")
        .values_list("placement_id", "key_project__code")
        .iterator(chunk_size=chunk_size)
    ):
        key_projects[placement_id].append(code)
    placements = Placement.objects.filter(plan=plan).in_document_order().select_related("measure")
    for p in placements.iterator(chunk_size=chunk_size):
        yield {
            "number": p.measure.number,
            "field": p.field_number,
            "goal": p.goal_code,
            "subgoal": p.subgoal_label,
            "approach": p.approach_label,
            "lead": p.lead,
            "participants": p.participants,
            "priority": p.priority,
            "key_projects": ";".join(key_projects.get(p.pk, [])),
            "commission": int(p.commission),
            "line": p.line,
        }


def render_csv(
    columns: tuple[str, ...], rows: list[Row], *, for_spreadsheets: bool = True
) -> bytes:
    """CSV with a header row, "\\n" line endings, UTF-8.

    `for_spreadsheets` (the default, for downloads people open in Excel): a text that a
    spreadsheet would evaluate as a formula gets a leading apostrophe
    (`plans.spreadsheet_cells.for_csv`); False writes every text exactly as stored.
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    if for_spreadsheets:
        rows = [{key: for_csv(value) for key, value in row.items()} for row in rows]
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def render_json(data: Any, *, sort_keys: bool = False) -> bytes:
    """Deterministic JSON: UTF-8 characters kept, indented by two, ending with a newline."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=sort_keys)
    return (text + "\n").encode("utf-8")


def export_placements(plan: Plan, export_format: str, *, for_spreadsheets: bool = False) -> bytes:
    """All placements of the plan as CSV or JSON (same rows, same keys).

    The CSV is a machine interface and keeps every text exactly by default;
    `for_spreadsheets` neutralises formula-like texts as the open-data download does.
    JSON is never changed.
    """
    rows = placement_rows(plan)
    if export_format == "csv":
        return render_csv(PLACEMENT_COLUMNS, rows, for_spreadsheets=for_spreadsheets)
    if export_format == "json":
        return render_json(rows)
    raise ValueError(
        _("Unknown format “%(format)s” (allowed: %(allowed)s).")
        % {"format": export_format, "allowed": ", ".join(FORMATS)}
    )


def export_plan_json(plan: Plan) -> bytes:
    """The whole plan as JSON in the format of plans/schemas/plan.schema.json."""
    return render_json(plan_to_data(plan_snapshot(plan)), sort_keys=True)
