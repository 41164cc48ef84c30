"""The Arbeitsmappe's import: happy path, refusals of hostile files, conflicts, all or nothing."""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from monitoring import services, workbook
from monitoring.models import StatusReport
from monitoring.tests.factories import World, lead
from monitoring.tests.workbook_helpers import fill
from monitoring.workbook import WorkbookRefused, layout
from plans.tests.factories import MeasureFactory, PlacementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def afs_world(world: World) -> World:
    """The world with a second measure led by AfS (1-3)."""
    lead(PlacementFactory(measure=MeasureFactory(plan=world.plan, number="1-3")), world.afs)
    return world


def _export(world: World, office: Any = None) -> bytes:
    assert world.reporting_round is not None
    return workbook.build_workbook(world.reporting_round, office or world.afs)


def _editor(world: World) -> Any:
    return world.user("editor_of_lead_office")


def _reports(world: World) -> dict[str, StatusReport]:
    return {
        r.measure.number: r for r in StatusReport.objects.current().filter(organisation=world.afs)
    }


def test_rows_become_drafts_of_the_office(afs_world: World) -> None:
    world = afs_world
    data = fill(
        _export(world),
        {
            "1-1": {
                "status": "in Umsetzung",
                "progress": 40,
                "summary": "Trasse geplant",
                "expected_completion": "12.2027",
            },
            "1-3": {"next_steps": "Ausschreibung"},
        },
    )
    preview = workbook.preview_import(_editor(world), data, "afs.xlsx", world.reporting_round)
    assert preview.errors == []
    assert [r.measure.number for r in preview.changed] == ["1-1", "1-3"]
    assert preview.changed[0].changes["progress"] == (None, 40)
    assert _reports(world) == {}  # the preview writes nothing
    assert workbook.apply_import(_editor(world), preview) == 2
    reports = _reports(world)
    assert reports["1-1"].state == StatusReport.State.DRAFT
    assert reports["1-1"].status is not None and reports["1-1"].status.label == "in Umsetzung"
    assert reports["1-1"].progress == 40
    assert reports["1-1"].summary == "Trasse geplant"
    assert reports["1-1"].expected_completion == datetime.date(2027, 12, 1)
    assert reports["1-1"].author == _editor(world)
    assert reports["1-3"].next_steps == "Ausschreibung"


def test_unchanged_rows_write_nothing(afs_world: World) -> None:
    preview = workbook.preview_import(
        _editor(afs_world), _export(afs_world), "afs.xlsx", afs_world.reporting_round
    )
    assert preview.changed == [] and preview.errors == [] and not preview.can_apply
    assert len(preview.unchanged) == 2


def test_existing_draft_is_saved_with_only_the_changed_column(afs_world: World) -> None:
    world = afs_world
    report = world.report(StatusReport.State.DRAFT)
    data = fill(_export(world), {"1-1": {"obstacles": "Personal fehlt"}})
    preview = workbook.preview_import(_editor(world), data, "a.xlsx", world.reporting_round)
    (row,) = preview.changed
    assert row.changes == {"obstacles": ("", "Personal fehlt")}
    workbook.apply_import(_editor(world), preview)
    report.refresh_from_db()
    assert (report.obstacles, report.summary, report.version) == (
        "Personal fehlt",
        "Erster Stand",
        3,
    )


def test_a_report_edited_in_the_web_since_the_export_is_a_conflict(afs_world: World) -> None:
    world = afs_world
    report = world.report(StatusReport.State.DRAFT)
    data = fill(
        _export(world),
        {"1-1": {"summary": "Aus Excel"}, "1-3": {"summary": "Neu aus Excel"}},
    )
    services.save_report(world.coordination, report, {"summary": "Aus dem Web"}, report.version)
    preview = workbook.preview_import(_editor(world), data, "a.xlsx", world.reporting_round)
    assert [r.measure.number for r in preview.conflicts] == ["1-1"]
    assert "im Web geändert" in preview.conflicts[0].conflict
    assert [r.measure.number for r in preview.changed] == ["1-3"]
    workbook.apply_import(_editor(world), preview)
    report.refresh_from_db()
    assert report.summary == "Aus dem Web"
    assert _reports(world)["1-3"].summary == "Neu aus Excel"


def test_a_report_started_in_the_web_since_the_export_is_a_conflict(afs_world: World) -> None:
    world = afs_world
    data = fill(_export(world), {"1-1": {"summary": "Aus Excel"}})
    world.report(StatusReport.State.DRAFT)
    preview = workbook.preview_import(_editor(world), data, "a.xlsx", world.reporting_round)
    assert [r.measure.number for r in preview.conflicts] == ["1-1"]
    assert not preview.can_apply


def test_all_or_nothing_when_a_row_has_an_error(afs_world: World) -> None:
    world = afs_world
    data = fill(
        _export(world),
        {"1-1": {"summary": "Gut"}, "1-3": {"progress": 140, "status": "erfunden"}},
    )
    preview = workbook.preview_import(_editor(world), data, "a.xlsx", world.reporting_round)
    assert preview.errors == [
        "Blatt „Berichte“, Zeile 3, Spalte „Status“: „erfunden“ ist kein Status des Plans.",
        "Blatt „Berichte“, Zeile 3, Spalte „Fortschritt (%)“: bitte eine ganze Zahl von 0 bis "
        "100 eingeben.",
    ]
    with pytest.raises(services.InvalidData):
        workbook.apply_import(_editor(world), preview)
    assert _reports(world) == {}


def test_all_or_nothing_when_a_write_fails_midway(
    afs_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = afs_world
    report = world.report(StatusReport.State.DRAFT)  # 1-1 is saved; 1-3 is new, written first
    data = fill(_export(world), {"1-1": {"summary": "A"}, "1-3": {"summary": "B"}})
    preview = workbook.preview_import(_editor(world), data, "a.xlsx", world.reporting_round)
    calls = []

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        raise services.InvalidData("kaputt")

    monkeypatch.setattr(services, "save_report", failing)
    with pytest.raises(services.InvalidData):
        workbook.apply_import(_editor(world), preview)
    assert calls == [1]
    assert list(_reports(world)) == ["1-1"]  # the new draft of 1-3 is gone with the failure
    assert _reports(world)["1-1"].version == report.version


def test_too_long_text_and_bad_month_name_row_and_column(afs_world: World) -> None:
    world = afs_world
    data = fill(
        _export(world),
        {"1-1": {"summary": "x" * 4001, "expected_completion": "irgendwann"}},
    )
    preview = workbook.preview_import(_editor(world), data, "a.xlsx", world.reporting_round)
    assert preview.errors == [
        "Blatt „Berichte“, Zeile 2, Spalte „Sachstand“: höchstens 4000 Zeichen (diese Zelle hat "
        "4001).",
        "Blatt „Berichte“, Zeile 2, Spalte „Voraussichtlicher Abschluss“: bitte Monat und Jahr "
        "eingeben, z. B. 12.2027.",
    ]


def test_rows_for_measures_the_office_does_not_report_are_refused(afs_world: World) -> None:
    world = afs_world
    book = load_workbook(io.BytesIO(_export(world)))
    book["Berichte"]["A3"] = "1-2"  # led by SLR
    buffer = io.BytesIO()
    book.save(buffer)
    preview = workbook.preview_import(
        _editor(world), buffer.getvalue(), "a.xlsx", world.reporting_round
    )
    assert preview.errors == [
        "Blatt „Berichte“, Zeile 3, Spalte „Nr.“: AfS berichtet in dieser Runde nicht über die "
        "Maßnahme „1-2“."
    ]


def test_submitted_report_cannot_be_changed_by_the_office(afs_world: World) -> None:
    world = afs_world
    world.report(StatusReport.State.SUBMITTED)
    data = fill(_export(world), {"1-1": {"summary": "später"}})
    preview = workbook.preview_import(_editor(world), data, "a.xlsx", world.reporting_round)
    assert preview.errors == [
        "Blatt „Berichte“, Zeile 2: Der Bericht zu 1-1 ist „eingereicht“ und kann nicht "
        "geändert werden."
    ]


# --- hostile files ---------------------------------------------------------------------------


def _refusal(world: World, data: bytes, name: str = "a.xlsx", user: Any = None) -> str:
    with pytest.raises(WorkbookRefused) as refused:
        workbook.preview_import(user or _editor(world), data, name, world.reporting_round)
    assert _reports(world) == {}
    return refused.value.message


def test_not_an_xlsx(afs_world: World) -> None:
    assert _refusal(afs_world, b"Nummer;Titel\n1-1;x\n") == (
        "Die Datei ist keine Excel-Arbeitsmappe (XLSX)."
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hallo.txt", "kein Excel")
    assert (
        _refusal(afs_world, buffer.getvalue()) == "Die Datei ist keine Excel-Arbeitsmappe (XLSX)."
    )


def test_zip_bomb_is_refused_before_it_is_unpacked(afs_world: World) -> None:
    original = _export(afs_world)
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(original)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for item in source.infolist():
            archive.writestr(item, source.read(item))
        archive.writestr("xl/media/bombe.bin", b"\0" * (3 * 1024 * 1024))
    assert len(buffer.getvalue()) < 100_000
    assert "Zip-Bombe" in _refusal(afs_world, buffer.getvalue())


def test_larger_than_5_mb(afs_world: World) -> None:
    assert _refusal(afs_world, b"x" * (5 * 1024 * 1024 + 1)) == "Die Datei ist größer als 5 MB."


def test_more_than_10000_rows(afs_world: World) -> None:
    book = load_workbook(io.BytesIO(_export(afs_world)))
    sheet = book["Berichte"]
    for row in range(4, 10_003):
        sheet.cell(row=row, column=1, value="1-1")
    buffer = io.BytesIO()
    book.save(buffer)
    assert _refusal(afs_world, buffer.getvalue()) == ("Die Arbeitsmappe hat mehr als 10000 Zeilen.")


def test_formulas_are_refused(afs_world: World) -> None:
    data = fill(_export(afs_world), {"1-3": {"progress": "=20+20"}})
    assert _refusal(afs_world, data) == (
        "Blatt „Berichte“, Zeile 3, Spalte „Fortschritt (%)“: Formeln werden nicht "
        "angenommen, bitte den Wert selbst eintragen."
    )


def test_macros_are_refused(afs_world: World) -> None:
    data = _export(afs_world)
    message = "Arbeitsmappen mit Makros (.xlsm) werden nicht angenommen."
    assert _refusal(afs_world, data, "afs.xlsm") == message
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            archive.writestr(item, source.read(item))
        archive.writestr("xl/vbaProject.bin", b"VBA")
    assert _refusal(afs_world, buffer.getvalue()) == message


def test_workbook_of_another_office_round_or_plan(afs_world: World) -> None:
    world = afs_world
    slr = _export(world, world.slr)
    assert _refusal(world, slr) == (
        "Die Arbeitsmappe gehört zu einem anderen Amt (SLR); Sie berichten für AfS."
    )
    other_round = services.open_round(
        world.coordination,
        world.plan,
        "Monitoring 2027",
        datetime.date(2027, 6, 30),
        datetime.date(2027, 9, 30),
    )
    data = workbook.build_workbook(other_round, world.afs)
    assert _refusal(world, data) == (
        "Die Arbeitsmappe gehört zu einer anderen Berichtsrunde („monitoring-2027“)."
    )
    book = load_workbook(io.BytesIO(_export(world)))
    book["Kennung"]["B2"] = "anderer-plan"
    buffer = io.BytesIO()
    book.save(buffer)
    assert _refusal(world, buffer.getvalue()) == (
        "Die Arbeitsmappe gehört zu einem anderen Plan („anderer-plan“)."
    )


def test_a_workbook_not_from_kek_monitor(afs_world: World) -> None:
    book = Workbook()
    book.active.append(["Nr.", "Maßnahme"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert "Blatt „Kennung“ fehlt" in _refusal(afs_world, buffer.getvalue())


def test_a_closed_round_is_refused_for_an_office(afs_world: World) -> None:
    world = afs_world
    data = fill(_export(world), {"1-1": {"summary": "spät"}})
    assert world.reporting_round is not None
    services.close_round(world.coordination, world.reporting_round)
    assert _refusal(world, data) == "Die Berichtsrunde „Monitoring 2026“ ist abgeschlossen."


def test_reader_may_not_import(afs_world: World) -> None:
    with pytest.raises(services.NotAllowed):
        workbook.preview_import(
            afs_world.user("reader"), _export(afs_world), "a.xlsx", afs_world.reporting_round
        )


def test_coordination_imports_an_office_workbook(afs_world: World) -> None:
    world = afs_world
    data = fill(_export(world), {"1-3": {"summary": "durch Koordination"}})
    preview = workbook.preview_import(world.coordination, data, "a.xlsx")
    workbook.apply_import(world.coordination, preview)
    assert _reports(world)["1-3"].organisation == world.afs


# --- the command line ------------------------------------------------------------------------


def test_cli_import_previews_then_applies(afs_world: World, tmp_path: Any) -> None:
    world = afs_world
    path = tmp_path / "afs.xlsx"
    path.write_bytes(fill(_export(world), {"1-1": {"summary": "per Kommandozeile"}}))
    out = io.StringIO()
    call_command("workbook", "import", str(path), "--as", "editor_of_lead_office", stdout=out)
    assert "Zeile 2 (1-1): ändert Sachstand" in out.getvalue()
    assert "mit --apply speichern" in out.getvalue()
    assert _reports(world) == {}
    out = io.StringIO()
    call_command(
        "workbook", "import", str(path), "--as", "editor_of_lead_office", "--apply", stdout=out
    )
    assert "1 Entwurf/Entwürfe gespeichert" in out.getvalue()
    assert _reports(world)["1-1"].summary == "per Kommandozeile"


def test_cli_import_refusal_is_one_german_line(afs_world: World, tmp_path: Any) -> None:
    path = tmp_path / "kaputt.xlsx"
    path.write_bytes(b"kein Excel")
    with pytest.raises(CommandError, match="keine Excel-Arbeitsmappe"):
        call_command("workbook", "import", str(path), "--as", "editor_of_lead_office")
    with pytest.raises(CommandError, match="Benutzer „niemand“ fehlt"):
        call_command("workbook", "import", str(path), "--as", "niemand")


def test_layout_stamps() -> None:
    assert layout.new_stamp(None) == "neu:-"


@pytest.mark.parametrize("value", [140, -1, 12.5, "viel", "inf", "nan"])
def test_an_invalid_cell_is_an_error_not_a_change(afs_world: World, value: Any) -> None:
    world = afs_world
    data = fill(_export(world), {"1-1": {"progress": value}})
    preview = workbook.preview_import(_editor(world), data, "a.xlsx", world.reporting_round)
    assert len(preview.errors) == 1 and "Fortschritt (%)" in preview.errors[0]
    assert preview.changed == []


def test_untouched_multiline_text_from_the_web_is_no_change(afs_world: World) -> None:
    world = afs_world
    report = world.report(StatusReport.State.DRAFT)
    services.save_report(
        world.coordination, report, {"summary": "Zeile eins\r\nZeile zwei\r\n"}, report.version
    )
    preview = workbook.preview_import(
        _editor(world), _export(world), "a.xlsx", world.reporting_round
    )
    assert preview.changed == [] and preview.conflicts == [] and preview.errors == []
