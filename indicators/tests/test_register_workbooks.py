"""Register files as XLSX workbooks: the same rows as the CSV, all or nothing, refused with
messages that name sheet, row and column; in the CLI and as an upload in the staff area."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from indicators.importers import register_xlsx
from indicators.models import Register, RegisterEntry
from indicators.services import RegisterError, import_register, read_register_file
from indicators.tests.register_data import BORNA, GRIMMA, point

pytestmark = pytest.mark.django_db

HEADER = [
    "gemeinde",
    "bezeichnung",
    "menge",
    "status",
    "verfuegbar_ab",
    "eigentum",
    "breite",
    "laenge",
]


def row(ags: str, name: str, area: Any = 4.5) -> list[Any]:
    latitude, longitude = point(ags)
    return [
        int(ags),
        name,
        area,
        "verfügbar",
        datetime.datetime(2027, 7, 1),
        "privat",
        float(latitude),
        float(longitude),
    ]


def workbook(*rows: list[Any], sheet: str = "Flächen") -> bytes:
    book = Workbook()
    active = book.active
    assert active is not None
    active.title = sheet
    active.append(HEADER)
    for cells in rows:
        active.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def gewerbe() -> Register:
    return Register.objects.get(slug="gewerbeflaechen")


def test_a_workbook_is_read_like_the_csv_and_applied(people):
    parsed = read_register_file(workbook(row(GRIMMA, "Am Bahnhof"), row(GRIMMA, "Süd", 2)))

    import_register(people["grimma_editor"], gewerbe(), parsed, file_name="g.xlsx", apply=True)

    entry = RegisterEntry.objects.get(designation="Am Bahnhof")
    assert (entry.quantity, entry.owner_type, entry.source_row) == (Decimal("4.5"), "private", 2)
    assert entry.available_from == datetime.date(2027, 7, 1)
    assert entry.municipality.ags == GRIMMA and RegisterEntry.objects.count() == 2


def test_a_bad_row_refuses_the_whole_workbook_naming_sheet_row_and_column(people):
    parsed = read_register_file(
        workbook(row(GRIMMA, "Gut"), row(GRIMMA, "Kaputt", "viel"), row(BORNA, "Fremd"))
    )

    with pytest.raises(RegisterError) as refused:
        import_register(people["grimma_editor"], gewerbe(), parsed, file_name="g.xlsx", apply=True)

    assert refused.value.problems[0].startswith("Blatt „Flächen“, Zeile 3, Spalte „menge“")
    assert refused.value.problems[1].startswith("Blatt „Flächen“, Zeile 4, Spalte „gemeinde“")
    assert not RegisterEntry.objects.exists()


def test_a_formula_is_refused_naming_its_cell(registers):
    cells = row(GRIMMA, "Rechnung")
    cells[2] = "=1+2"

    with pytest.raises(RegisterError, match="Blatt „Flächen“, Zeile 2, Spalte „menge“: Formeln"):
        read_register_file(workbook(cells))


def test_too_many_rows_are_refused(registers, monkeypatch):
    monkeypatch.setattr(register_xlsx, "MAX_ROWS", 2)

    with pytest.raises(RegisterError, match="mehr als 2 Zeilen"):
        read_register_file(workbook(row(GRIMMA, "A"), row(GRIMMA, "B"), row(GRIMMA, "C")))


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"PK\x03\x04 kaputt", "g.xlsx", "keine Excel-Arbeitsmappe"),
        (b"x" * (5 * 1024 * 1024 + 1), "g.xlsx", "größer als 5 MB"),
        (b"PK\x03\x04", "g.xlsm", "Makros"),
    ],
)
def test_unsafe_or_broken_workbooks_are_refused(registers, content, name, message):
    with pytest.raises(RegisterError, match=message):
        read_register_file(content, name)


def test_kek_indicators_import_register_reads_a_workbook(registers, tmp_path, capsys):
    path = tmp_path / "leer.xlsx"
    path.write_bytes(workbook(row(GRIMMA, "Markt 3", 1)))
    arguments = ["indicators", "import-register", str(path), "--plan", "kek-test"]

    call_command(*arguments, "--register", "leerstand", "--apply")

    assert "1 neu" in capsys.readouterr().out
    assert RegisterEntry.objects.get().register.slug == "leerstand"
    path.write_bytes(b"PK\x03\x04 kaputt")
    with pytest.raises(CommandError, match="keine Excel-Arbeitsmappe"):
        call_command(*arguments, "--register", "leerstand")


def test_a_workbook_is_uploaded_previewed_and_imported_in_the_staff_area(client, people):
    client.force_login(people["grimma_editor"])
    url = "/intern/kataster/gewerbeflaechen/import/"
    upload = SimpleUploadedFile("flaechen.xlsx", workbook(row(GRIMMA, "Am Bahnhof")))

    preview = client.post(url, {"file": upload})

    assert preview.status_code == 200
    assert "1 neu, 0 geändert, 0 unverändert." in preview.content.decode()
    assert client.post(url, {"apply": "1"}).status_code == 302
    assert RegisterEntry.objects.get().source_file == "flaechen.xlsx"


# --- the public page of a register: paged, filtered by Gemeinde ------------------------------


def test_the_register_page_pages_its_entries_and_keeps_the_gemeinde_filter(
    client, people, monkeypatch
):
    from indicators import register_reads
    from indicators.services import save_entry
    from indicators.tests.register_data import data

    monkeypatch.setattr(register_reads, "PAGE_SIZE", 2)
    for name in ("A-Nord", "B-Mitte", "C-Süd"):
        save_entry(people["coordination"], gewerbe(), data(GRIMMA, name))
    save_entry(people["coordination"], gewerbe(), data(BORNA, "Borna-Ost"))

    first = client.get(f"/kataster/gewerbeflaechen/?gemeinde={GRIMMA}").content.decode()
    second = client.get(f"/kataster/gewerbeflaechen/?gemeinde={GRIMMA}&page=2").content.decode()
    everything = client.get("/kataster/gewerbeflaechen/?page=1").content.decode()

    assert "A-Nord" in first and "B-Mitte" in first and "C-Süd" not in first
    assert f'href="?gemeinde={GRIMMA}&amp;page=2"' in first and "3 Einträge" in first
    assert "C-Süd" in second and "A-Nord" not in second and "Borna-Ost" not in second
    assert f'<option value="{GRIMMA}" selected>' in second
    assert "4 Einträge" in everything and "Seite 1 von 2" in everything
