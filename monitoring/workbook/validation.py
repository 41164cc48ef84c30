"""Check an Arbeitsmappe against the database: whose it is, each row's values, conflicts.

The result, an `ImportPlan`, is the preview: per row what will change (old → new), the rows
that conflict with a change made in the web since the export (never overwritten), and the
errors. Nothing is written here.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from accounts.policies import is_coordination, organisation_of
from monitoring import services, worklists
from monitoring.models import ReportingRound, StatusOption, StatusReport
from monitoring.policies import is_reporting_office
from plans.models import Measure, Organisation, Plan
from plans.spreadsheet_cells import xlsx_text

from . import layout
from .reading import RawRow, RawWorkbook, WorkbookRefused, where

MONTH_YEAR = re.compile(r"^(\d{1,2})[./-](\d{4})$")


@dataclass
class RowPlan:
    """What importing one row does."""

    number: int
    measure: Measure
    report: StatusReport | None
    values: dict[str, Any]
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    conflict: str = ""
    expected_version: int | None = None

    @property
    def will_write(self) -> bool:
        return bool(self.changes) and not self.conflict

    @property
    def change_list(self) -> list[tuple[str, str, str]]:
        """(column heading, before, after) as the preview shows them."""
        return [
            (layout.header_of(key), _shown(old), _shown(new))
            for key, (old, new) in self.changes.items()
        ]


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%m.%Y")
    return str(value)


@dataclass
class ImportPlan:
    """The preview of an import."""

    plan: Plan
    reporting_round: ReportingRound
    office: Organisation
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def changed(self) -> list[RowPlan]:
        return [row for row in self.rows if row.will_write]

    @property
    def conflicts(self) -> list[RowPlan]:
        return [row for row in self.rows if row.conflict]

    @property
    def unchanged(self) -> list[RowPlan]:
        return [row for row in self.rows if not row.changes and not row.conflict]

    @property
    def can_apply(self) -> bool:
        return not self.errors and bool(self.changed)


def _whose(user: Any, raw: RawWorkbook, expected_round: ReportingRound | None) -> ImportPlan:
    """The plan, round and office the workbook names, checked against the user and the page."""
    ident = raw.identification
    plan = Plan.objects.filter(slug=ident.get("plan", "")).first()
    if plan is None or (expected_round is not None and plan.pk != expected_round.plan_id):
        raise WorkbookRefused(
            _("The workbook belongs to another plan (“%(plan)s”).") % {"plan": ident.get("plan")}
        )
    round_id = ident.get("round_id", "")
    reporting_round = (
        ReportingRound.objects.filter(plan=plan, pk=int(round_id)).first()
        if round_id.isdigit()
        else None
    )
    if reporting_round is None or (
        expected_round is not None and reporting_round.pk != expected_round.pk
    ):
        raise WorkbookRefused(
            _("The workbook belongs to another reporting round (“%(round)s”).")
            % {"round": ident.get("round")}
        )
    if not services.is_open_for(user, reporting_round):
        raise WorkbookRefused(
            _("The reporting round “%(round)s” is closed.") % {"round": reporting_round.name}
        )
    office_id = ident.get("office_id", "")
    office = (
        Organisation.objects.filter(plan=plan, pk=int(office_id)).first()
        if office_id.isdigit()
        else None
    )
    if office is None or not is_reporting_office(office):
        raise WorkbookRefused(
            _("The workbook names no office that reports (“%(office)s”).")
            % {"office": ident.get("office")}
        )
    if not is_coordination(user, plan):
        own = organisation_of(user, plan)
        if worklists.reporter_of(user, plan) is None or own is None:
            raise services.NotAllowed(_("You do not report on measures in this plan."))
        if own.pk != office.pk:
            raise WorkbookRefused(
                _("The workbook belongs to another office (%(office)s); you report for %(own)s.")
                % {"office": office.abbreviation, "own": own.abbreviation}
            )
    return ImportPlan(plan, reporting_round, office)


def _clean(raw: RawRow, statuses: dict[str, StatusOption], errors: list[str]) -> dict[str, Any]:
    """The row's editable values as the report stores them; errors name row and column.

    A cell with an error is left out (the preview shows the error, not a change to empty).
    """
    cells = raw.cells
    values: dict[str, Any] = {}
    invalid: set[str] = set()

    def error(column: str, message: str) -> None:
        errors.append(f"{where(raw.number, column)}: {message}")
        invalid.add(column)

    label = cells.get("status")
    label = str(label).strip() if label not in (None, "") else ""
    if label and label.casefold() not in statuses:
        error("status", _("“%(value)s” is not a status of the plan.") % {"value": label})
    values["status"] = statuses[label.casefold()].label if label.casefold() in statuses else None
    progress = cells.get("progress")
    if progress in (None, ""):
        values["progress"] = None
    else:
        number: float | None
        try:
            number = float(str(progress).strip().replace(",", "."))
        except ValueError:
            number = None
        if number is None or not 0 <= number <= 100 or number != int(number):
            error("progress", _("enter a whole number from 0 to 100."))
            values["progress"] = None
        else:
            values["progress"] = int(number)
    for key in ("summary", "next_steps", "obstacles"):
        text = cells.get(key)
        text = "" if text is None else _text(str(text))
        limit = StatusReport.TEXT_LIMITS[key]
        if len(text) > limit:
            error(
                key,
                _("at most %(limit)d characters (this cell has %(count)d).")
                % {"limit": limit, "count": len(text)},
            )
        values[key] = text
    completion = cells.get("expected_completion")
    values["expected_completion"] = None
    if isinstance(completion, datetime.date):
        values["expected_completion"] = completion.replace(day=1)
    elif completion not in (None, ""):
        match = MONTH_YEAR.match(str(completion).strip())
        if match and 1 <= int(match[1]) <= 12:
            values["expected_completion"] = datetime.date(int(match[2]), int(match[1]), 1)
        else:
            error("expected_completion", _("enter month and year, e.g. 12.2027."))
    return {key: value for key, value in values.items() if key not in invalid}


def _current(values: dict[str, Any]) -> dict[str, Any]:
    """Values as compared: a stored date as its month, a text with "\n" line ends, stripped.

    The web form stores a textarea's "\r\n"; an XLSX file gives back "\n" (XML normalises
    line ends), so an untouched multi-line Sachstand must not count as a change.
    """
    date = values.get("expected_completion")
    if isinstance(date, datetime.date):
        values = {**values, "expected_completion": date.replace(day=1)}
    return {key: _text(value) if isinstance(value, str) else value for key, value in values.items()}


def _text(value: str) -> str:
    """A text as it comes back from a cell: "\n" line ends, no XML-illegal characters."""
    return xlsx_text(value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def check_workbook(
    user: Any, raw: RawWorkbook, expected_round: ReportingRound | None = None
) -> ImportPlan:
    """The preview of importing the workbook as the user (raises WorkbookRefused, NotAllowed)."""
    result = _whose(user, raw, expected_round)
    plan, reporting_round, office = result.plan, result.reporting_round, result.office
    reported = {m for m, o in worklists.lead_pairs(plan, by_coordination=False) if o == office.pk}
    reports = {
        r.measure_id: r
        for r in StatusReport.objects.current()
        .filter(reporting_round=reporting_round, organisation=office)
        .select_related("status")
    }
    statuses = {s.label.casefold(): s for s in services.ensure_default_statuses(plan)}
    numbers = {str(row.cells.get("number") or "").strip() for row in raw.rows}
    measures = {
        m.number: m
        for m in Measure.objects.filter(plan=plan, number__in=numbers, deleted_at__isnull=True)
    }
    published = services.last_published_reports(
        office, reporting_round, [m.pk for m in measures.values() if m.pk not in reports]
    )
    seen: dict[str, int] = {}
    for row in raw.rows:
        number = str(row.cells.get("number") or "").strip()
        measure = measures.get(number)
        if measure is None or measure.pk not in reported:
            result.errors.append(
                f"{where(row.number, 'number')}: "
                + _("%(office)s does not report on measure “%(number)s” in this round.")
                % {"office": office.abbreviation, "number": number}
            )
            continue
        if number in seen:
            result.errors.append(
                f"{where(row.number, 'number')}: "
                + _("measure %(number)s appears twice (also in row %(other)d).")
                % {"number": number, "other": seen[number]}
            )
            continue
        seen[number] = row.number
        values = _clean(row, statuses, result.errors)
        report = reports.get(measure.pk)
        result.rows.append(
            _plan_row(user, row, measure, report, published.get(measure.pk), values, result)
        )
    return result


def _plan_row(
    user: Any,
    row: RawRow,
    measure: Measure,
    report: StatusReport | None,
    previous: StatusReport | None,
    values: dict[str, Any],
    result: ImportPlan,
) -> RowPlan:
    """Compare the row with the report, or without one with the last published report
    (`services.last_published_reports`, what `start_report` pre-fills a new one from)."""
    stamp = str(row.cells.get("stamp") or "").strip()
    plan_row = RowPlan(row.number, measure, report, values)
    if report is not None:
        current = layout.values_of(report)
        now_stamp = layout.report_stamp(report)
        plan_row.expected_version = report.version
    else:
        current = layout.values_of(previous)
        now_stamp = layout.new_stamp(previous)
    current = _current(current)
    plan_row.changes = {
        key: (current[key], value)
        for key, value in values.items()
        if value != current[key] and not (value in (None, "") and current[key] in (None, ""))
    }
    if stamp != now_stamp:
        plan_row.conflict = (
            _("the report was changed in the web since the workbook was downloaded.")
            if stamp.startswith(layout.STAMP_REPORT) or report is not None
            else _("the report's starting point changed since the workbook was downloaded.")
        )
    elif plan_row.changes and report is not None and not services.is_changeable(user, report):
        result.errors.append(
            f"{where(row.number)}: "
            + _("the report on %(number)s is “%(state)s” and cannot be changed.")
            % {"number": measure.number, "state": report.get_state_display()}
        )
    return plan_row
