"""Write the Arbeitsmappe of an office for a round (`kek workbook export`, the staff download).

One row per measure the office reports in the round (`worklists.round_items`), pre-filled with
the round's report of the office if there is one (whatever its state), else with the last
published report the web form would start from (`services.last_published_report`, the rule of
`start_report`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from monitoring import services, worklists
from monitoring.models import ReportingRound, StatusOption, StatusReport
from monitoring.policies import is_reporting_office
from plans.models import Organisation
from plans.spreadsheet_cells import text_cell

from . import layout
from .layout import COLUMNS, column_letter

EDITABLE_FILL = PatternFill("solid", fgColor="FFFDE7")
EDITOR_EDITABLE_STATES = StatusReport.EDITOR_EDITABLE_STATES
HEADER_FILL = PatternFill("solid", fgColor="E0E0E0")


@dataclass
class ExportRow:
    """A row of the workbook: the work item, the report its values come from, its stamp."""

    item: worklists.WorkItem
    source: StatusReport | None
    stamp: str


def office_items(reporting_round: ReportingRound, office: Organisation) -> list[worklists.WorkItem]:
    """The measures the office reports in the round, in catalogue order."""
    if office.plan_id != reporting_round.plan_id or not is_reporting_office(office):
        raise services.InvalidData(
            _("%(office)s is not an office that reports itself in this plan.")
            % {"office": office.abbreviation}
        )
    return [
        item
        for item in worklists.round_items(reporting_round, by_coordination=False)
        if item.organisation.pk == office.pk
    ]


def export_rows(reporting_round: ReportingRound, office: Organisation) -> list[ExportRow]:
    """Each row with the report its values come from and its version stamp."""
    items = office_items(reporting_round, office)
    published = services.last_published_reports(
        office, reporting_round, [item.measure.pk for item in items if item.report is None]
    )
    rows = []
    for item in items:
        if item.report is not None:
            rows.append(ExportRow(item, item.report, layout.report_stamp(item.report)))
        else:
            previous = published.get(item.measure.pk)
            rows.append(ExportRow(item, previous, layout.new_stamp(previous)))
    return rows


def _identification(
    workbook: Workbook,
    reporting_round: ReportingRound,
    office: Organisation,
    statuses: list[StatusOption],
) -> None:
    sheet = workbook.create_sheet(layout.IDENTIFICATION_SHEET)
    values = {
        "format": layout.FORMAT,
        "plan": reporting_round.plan.slug,
        "round": reporting_round.slug,
        "round_id": reporting_round.pk,
        "office": office.abbreviation,
        "office_id": office.pk,
    }
    for row, key in enumerate(layout.IDENTIFICATION_KEYS, start=1):
        sheet.cell(row=row, column=1, value=key)
        text_cell(sheet.cell(row=row, column=2), values[key])
    sheet.cell(row=layout.STATUS_LIST_ROW - 1, column=1, value="statuses")
    for offset, status in enumerate(statuses):
        text_cell(sheet.cell(row=layout.STATUS_LIST_ROW + offset, column=2), status.label)
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True


def _explanations(
    workbook: Workbook, reporting_round: ReportingRound, office: Organisation
) -> None:
    sheet = workbook.create_sheet(str(layout.EXPLANATION_SHEET))
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 90
    intro = _(
        "Workbook of %(office)s for %(round)s (%(plan)s). Fill in the yellow cells of the "
        "sheet “%(sheet)s” and upload the file in the staff area (Meine Maßnahmen → upload "
        "workbook). The upload shows what will change before anything is saved; the rows "
        "become drafts that you submit in the web."
    ) % {
        "office": office.abbreviation,
        "round": reporting_round.name,
        "plan": reporting_round.plan.title,
        "sheet": layout.REPORTS_SHEET,
    }
    text_cell(sheet.cell(row=1, column=1), intro)
    sheet.merge_cells("A1:B1")
    sheet.row_dimensions[1].height = 60
    sheet["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.cell(row=3, column=1, value=_("Column")).font = Font(bold=True)
    sheet.cell(row=3, column=2, value=_("Explanation")).font = Font(bold=True)
    for row, column in enumerate(COLUMNS, start=4):
        locked = "" if column.editable else " " + _("(locked)")
        text_cell(sheet.cell(row=row, column=1), f"{column.header}{locked}")
        text_cell(sheet.cell(row=row, column=2), str(column.explanation))
        sheet.cell(row=row, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.protection.sheet = True


def _reports_sheet(sheet: Worksheet, rows: list[ExportRow], statuses: list[StatusOption]) -> None:
    sheet.title = str(layout.REPORTS_SHEET)
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=str(column.header))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[column_letter(column.key)].width = column.width
    sheet.column_dimensions[column_letter("stamp")].hidden = True
    sheet.freeze_panes = "C2"
    unlocked = Protection(locked=False)
    wrapped = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for number, row in enumerate(rows, start=2):
        item = row.item
        values = {
            "number": item.measure.number,
            "title": item.measure.title,
            "lead": item.organisation.abbreviation,
            "state": str(item.state_label),
            **layout.values_of(row.source),
            "stamp": row.stamp,
        }
        # A submitted, approved or published report is not the office's to change: locked.
        open_row = item.report is None or item.report.state in EDITOR_EDITABLE_STATES
        for index, column in enumerate(COLUMNS, start=1):
            cell = text_cell(sheet.cell(row=number, column=index), values[column.key])
            cell.alignment = wrapped if column.wrap else top
            if column.editable and open_row:
                cell.protection = unlocked
                cell.fill = EDITABLE_FILL
        sheet[f"{column_letter('expected_completion')}{number}"].number_format = "MM.YYYY"
    last = max(len(rows) + 1, 2)
    status_range = (
        f"{layout.IDENTIFICATION_SHEET}!$B${layout.STATUS_LIST_ROW}:"
        f"$B${layout.STATUS_LIST_ROW + max(len(statuses), 1) - 1}"
    )
    status = DataValidation(
        type="list",
        formula1=f"={status_range}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Status"),
        error=_("Choose a status from the list."),
    )
    progress = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2="100",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Progress (%)"),
        error=_("Enter a whole number from 0 to 100."),
    )
    for validation, key in ((status, "status"), (progress, "progress")):
        letter = column_letter(key)
        validation.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(validation)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def build_workbook(reporting_round: ReportingRound, office: Organisation) -> bytes:
    """The XLSX file of the office's measures in the round."""
    rows = export_rows(reporting_round, office)
    statuses = services.ensure_default_statuses(reporting_round.plan)
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    _reports_sheet(sheet, rows, statuses)
    _explanations(workbook, reporting_round, office)
    _identification(workbook, reporting_round, office, statuses)
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_name(reporting_round: ReportingRound, office: Organisation) -> str:
    """The download's file name: arbeitsmappe-<round>-<office>.xlsx."""
    return f"arbeitsmappe-{reporting_round.slug}-{slugify(office.abbreviation)}.xlsx"
