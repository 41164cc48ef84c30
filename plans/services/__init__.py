"""Writes of the catalogue: importing a plan, its measure facets and its revision.

Plain functions that the CLI, the back office and monitoring call (`services.import_parsed_plan`,
`services.mark_catalogue_changed` …); a failed import raises `PlanImportError` with a German
message. One module per topic; this package exports the public functions.
"""

from plans.plan_diff import ImportResult, PlanImportError

from .facets import refresh_measure_facets
from .importing import import_parsed_plan, import_plan_json, iter_report_lines
from .revisions import (
    CatalogueChange,
    PlanChange,
    announce_plan_change,
    mark_catalogue_changed,
    mark_plan_changed,
    mark_statuses_changed,
    register_catalogue_index,
    register_plan_change_listener,
)

__all__ = [
    "CatalogueChange",
    "ImportResult",
    "PlanChange",
    "PlanImportError",
    "announce_plan_change",
    "import_parsed_plan",
    "import_plan_json",
    "iter_report_lines",
    "mark_catalogue_changed",
    "mark_plan_changed",
    "mark_statuses_changed",
    "refresh_measure_facets",
    "register_catalogue_index",
    "register_plan_change_listener",
]
