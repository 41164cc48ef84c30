"""The Arbeitsmappe's export: rows, locked cells, drop-down, validation, prefill, stamps."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from monitoring import services
from monitoring.models import StatusReport
from monitoring.tests.factories import World, lead
from monitoring.tests.workbook_helpers import sheet_rows
from monitoring.workbook import build_workbook, layout
from plans.tests.factories import MeasureFactory, OrganisationFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def _book(world: World) -> Any:
    assert world.reporting_round is not None
    return load_workbook(io.BytesIO(build_workbook(world.reporting_round, world.afs)))


def test_one_row_per_measure_the_office_reports(world: World) -> None:
    third = MeasureFactory(plan=world.plan, number="1-3", title="Zweites AfS-Projekt")
    lead(PlacementFactory(measure=third), world.afs)
    kommunen = OrganisationFactory(
        plan=world.plan, abbreviation="Kommunen", kind="municipality", in_glossary=False
    )
    lead(PlacementFactory(measure=MeasureFactory(plan=world.plan, number="1-4")), kommunen)
    assert world.reporting_round is not None
    rows = sheet_rows(build_workbook(world.reporting_round, world.afs))
    assert [(r["number"], r["lead"], r["state"]) for r in rows] == [
        ("1-1", "AfS", "fehlt"),
        ("1-3", "AfS", "fehlt"),
    ]
    with pytest.raises(services.InvalidData):
        build_workbook(world.reporting_round, kommunen)


def test_catalogue_columns_are_locked_and_values_editable(world: World) -> None:
    book = _book(world)
    sheet = book["Berichte"]
    assert sheet.protection.sheet is True
    headers = [c.value for c in sheet[1]]
    assert headers[:6] == [
        "Nr.",
        "Maßnahme",
        "Federführung",
        "Stand des Berichts",
        "Status",
        "Fortschritt (%)",
    ]
    for key in ("number", "title", "lead", "state", "stamp"):
        assert sheet.cell(row=2, column=layout.COLUMN_KEYS.index(key) + 1).protection.locked
    for key in layout.EDITABLE:
        cell = sheet.cell(row=2, column=layout.COLUMN_KEYS.index(key) + 1)
        assert cell.protection.locked is False
    assert sheet.column_dimensions[layout.column_letter("stamp")].hidden is True
    summary = sheet.cell(row=2, column=layout.COLUMN_KEYS.index("summary") + 1)
    assert summary.alignment.wrap_text is True
    assert sheet.column_dimensions[layout.column_letter("summary")].width >= 50


def test_status_drop_down_and_progress_validation(world: World) -> None:
    book = _book(world)
    validations = {dv.type: dv for dv in book["Berichte"].data_validations.dataValidation}
    status = validations["list"]
    assert "Kennung!$B$10" in status.formula1
    assert str(status.sqref) == "E2"
    labels = [c.value for c in book["Kennung"]["B"][9:] if c.value]
    assert labels == [s.label for s in services.ensure_default_statuses(world.plan)]
    progress = validations["whole"]
    assert (progress.operator, progress.formula1, progress.formula2) == ("between", "0", "100")
    assert book["Kennung"].sheet_state == "hidden"
    ident = {r[0]: r[1] for r in book["Kennung"].iter_rows(max_row=6, values_only=True)}
    assert ident["plan"] == "kek-test"
    assert ident["round"] == "monitoring-2026"
    assert ident["office"] == "AfS"


def test_explanations_sheet_names_every_column(world: World) -> None:
    sheet = _book(world)["Erläuterungen"]
    texts = [c.value for c in sheet["A"] if c.value]
    for column in layout.COLUMNS:
        assert any(str(column.header) in str(text) for text in texts)
    assert "Sachstand" in " ".join(str(c.value) for c in sheet["B"] if c.value)


def test_prefill_from_draft_and_stamp(world: World) -> None:
    report = world.report(StatusReport.State.DRAFT)
    assert world.reporting_round is not None
    (row,) = sheet_rows(build_workbook(world.reporting_round, world.afs))
    assert row["summary"] == "Erster Stand"
    assert row["progress"] == 10
    assert row["state"] == "Entwurf"
    assert row["stamp"] == f"bericht:{report.pk}:{report.version}"


def test_prefill_from_last_published_report_of_an_earlier_round(world: World) -> None:
    published = world.report(StatusReport.State.PUBLISHED)
    assert world.reporting_round is not None
    services.close_round(world.coordination, world.reporting_round)
    import datetime

    later = services.open_round(
        world.coordination,
        world.plan,
        "Monitoring 2027",
        datetime.date(2027, 6, 30),
        datetime.date(2027, 9, 30),
    )
    (row,) = sheet_rows(build_workbook(later, world.afs))
    assert row["summary"] == "Erster Stand"
    assert row["state"] == "fehlt"
    assert row["stamp"] == f"neu:{published.pk}"


def test_formula_like_title_is_written_as_text(world: World) -> None:
    world.measure.title = '=HYPERLINK("http://x","y")'
    world.measure.save()
    book = _book(world)
    cell = book["Berichte"]["B2"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://x","y")'


def test_cli_export_latest_is_the_newest_open_round(world: World, tmp_path: Any) -> None:
    target = tmp_path / "afs.xlsx"
    out = io.StringIO()
    call_command(
        "workbook",
        "export",
        "--plan",
        "kek-test",
        "--round",
        "latest",
        "--office",
        "AfS",
        "-o",
        str(target),
        stdout=out,
    )
    assert "1 Maßnahme(n) von AfS in Monitoring 2026" in out.getvalue()
    assert [r["number"] for r in sheet_rows(target.read_bytes())] == ["1-1"]


def test_cli_export_errors_are_german_lines(world: World, tmp_path: Any) -> None:
    from django.core.management.base import CommandError

    target = str(tmp_path / "x.xlsx")
    with pytest.raises(CommandError, match="Amt „XYZ“ fehlt im Plan"):
        call_command("workbook", "export", "--plan", "kek-test", "--office", "XYZ", "-o", target)
    with pytest.raises(CommandError, match="Berichtsrunde „gibt-es-nicht“ fehlt"):
        call_command(
            "workbook",
            "export",
            "--plan",
            "kek-test",
            "--round",
            "gibt-es-nicht",
            "--office",
            "AfS",
            "-o",
            target,
        )
    assert world.reporting_round is not None
    services.close_round(world.coordination, world.reporting_round)
    with pytest.raises(CommandError, match="Keine offene Berichtsrunde"):
        call_command("workbook", "export", "--plan", "kek-test", "--office", "AfS", "-o", target)
    # An explicit slug may name a closed round.
    call_command(
        "workbook",
        "export",
        "--plan",
        "kek-test",
        "--round",
        "monitoring-2026",
        "--office",
        "AfS",
        "-o",
        target,
        stdout=io.StringIO(),
    )
    assert [r["number"] for r in sheet_rows((tmp_path / "x.xlsx").read_bytes())] == ["1-1"]


def test_rows_of_submitted_reports_are_locked(world: World) -> None:
    world.report(StatusReport.State.SUBMITTED)
    sheet = _book(world)["Berichte"]
    for key in layout.EDITABLE:
        assert sheet.cell(row=2, column=layout.COLUMN_KEYS.index(key) + 1).protection.locked
