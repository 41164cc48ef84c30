"""The layout of the Arbeitsmappe, shared by its export and its import.

Sheet „Berichte“: a header row, then one row per measure the office reports in the round.
The catalogue columns and the state are locked; the report's values are editable; the last
column, hidden, holds the row's version stamp. Sheet „Erläuterungen“ explains each column;
the hidden sheet „Kennung“ names plan, round and office and lists the plan's statuses (the
drop-down's source).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from monitoring.models import StatusReport

FORMAT = "kek-arbeitsmappe-1"
REPORTS_SHEET = _("Reports")
EXPLANATION_SHEET = _("Explanations")
IDENTIFICATION_SHEET = "Kennung"
# Rows of the identification sheet: (key in column A, what column B holds).
IDENTIFICATION_KEYS = ("format", "plan", "round", "round_id", "office", "office_id")
# The statuses are listed on the identification sheet from this row on, in column B.
STATUS_LIST_ROW = 10

# A report's row: "bericht:<id>:<version>"; a measure without a report in the round:
# "neu:<id of the last published report the web would pre-fill from>" or "neu:-".
STAMP_REPORT = "bericht"
STAMP_NEW = "neu"


@dataclass(frozen=True)
class Column:
    """One column of the reports sheet."""

    key: str
    header: Any
    width: int
    editable: bool
    explanation: Any
    wrap: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("number", _("No."), 9, False, _("The measure's number in the plan (do not change).")),
    Column("title", _("Measure"), 40, False, _("The measure's title (locked)."), wrap=True),
    Column("lead", _("Lead"), 12, False, _("The office that reports (locked).")),
    Column(
        "state",
        _("Report state"),
        14,
        False,
        _(
            "The report's state in the web when the workbook was downloaded: missing, draft, "
            "submitted … Only missing, draft and returned reports can be changed."
        ),
    ),
    Column(
        "status",
        _("Status"),
        22,
        True,
        _("Choose from the list: the statuses of the plan."),
    ),
    Column(
        "progress",
        _("Progress (%)"),
        12,
        True,
        _("A whole number from 0 to 100; may stay empty for continuing tasks."),
    ),
    Column(
        "summary",
        _("Current state"),
        60,
        True,
        _("The Sachstand: what has been done (at most 4000 characters)."),
        wrap=True,
    ),
    Column(
        "next_steps",
        _("Next steps"),
        45,
        True,
        _("What comes next (at most 2000 characters)."),
        wrap=True,
    ),
    Column(
        "obstacles",
        _("Obstacles and support needed"),
        45,
        True,
        _("Obstacles and the support needed (at most 2000 characters; internal, never published)."),
        wrap=True,
    ),
    Column(
        "expected_completion",
        _("Expected completion"),
        16,
        True,
        _("Month and year, e.g. 12.2027 (a date is stored as its month)."),
    ),
    Column(
        "stamp",
        _("Version stamp"),
        20,
        False,
        _(
            "Hidden: which version of the report the row was exported from; an import "
            "refuses to overwrite a report changed in the web since."
        ),
    ),
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
EDITABLE = tuple(column.key for column in COLUMNS if column.editable)
# The report fields the editable columns write (all are StatusReport.USER_EDITABLE_FIELDS).
REPORT_FIELDS = EDITABLE
assert set(REPORT_FIELDS) <= set(StatusReport.USER_EDITABLE_FIELDS)


def column_letter(key: str) -> str:
    """The sheet column of a key: A, B, …"""
    return chr(ord("A") + COLUMN_KEYS.index(key))


def report_stamp(report: StatusReport) -> str:
    """The stamp of a row exported from a report."""
    return f"{STAMP_REPORT}:{report.pk}:{report.version}"


def new_stamp(previous: StatusReport | None) -> str:
    """The stamp of a row without a report, naming the report the web would pre-fill from."""
    return f"{STAMP_NEW}:{previous.pk if previous is not None else '-'}"


def values_of(report: StatusReport | None) -> dict[str, Any]:
    """The editable columns' values of a report (all empty without one)."""
    if report is None:
        return dict.fromkeys(REPORT_FIELDS)
    return {
        "status": report.status.label if report.status is not None else None,
        "progress": report.progress,
        "summary": report.summary,
        "next_steps": report.next_steps,
        "obstacles": report.obstacles,
        "expected_completion": report.expected_completion,
    }


def header_of(key: str) -> str:
    """The column heading of a key, as the sheet shows it."""
    return str(next(column.header for column in COLUMNS if column.key == key))
