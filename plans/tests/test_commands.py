"""Tests of the commands import_document, export and import_data: exit codes and messages."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from plans.importers.structure import DocumentError
from plans.management.commands import import_document
from plans.models import Plan
from plans.services import import_parsed_plan
from plans.tests.parsed_plans import changed, small_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_parser(monkeypatch):
    """Replace the document parser by one that returns the small hand-built plan."""
    state = {"plan": small_plan("kek-2030")}

    def parse(text: str, slug: str):
        return changed(state["plan"])

    monkeypatch.setattr(import_document, "parse_document", parse)
    return state


@pytest.fixture
def document(tmp_path):
    path = tmp_path / "konzept.txt"
    path.write_text("Maßnahmenkonzept\n1-1 Irgendwas\n", encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code)
    return code, out.getvalue(), err.getvalue()


def test_a_missing_file_is_an_error_with_a_german_message(var_dir, tmp_path):
    code, _, err = run("import_document", str(tmp_path / "fehlt.txt"))

    assert code == 1
    assert "Fehler: Datei" in err and "nicht gefunden" in err
    assert "Traceback" not in err


def test_an_empty_file_is_an_error_with_a_german_message(var_dir, tmp_path):
    path = tmp_path / "leer.txt"
    path.write_text("  \n\n", encoding="utf-8")

    code, _, err = run("import_document", str(path))

    assert code == 1
    assert "ist leer" in err


def test_a_binary_file_is_an_error_with_a_german_message(var_dir, tmp_path):
    path = tmp_path / "bild.pdf"
    path.write_bytes(b"%PDF-1.7\x00\x01\x02\xff")

    code, _, err = run("import_document", str(path))

    assert code == 1
    assert "keine Textdatei" in err


def test_a_file_that_is_not_utf8_is_an_error_with_a_german_message(var_dir, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Maßnahmen für Straßen".encode("latin-1"))

    code, _, err = run("import_document", str(path))

    assert code == 1
    assert "nicht UTF-8-kodiert" in err


def test_a_directory_is_an_error_with_a_german_message(var_dir, tmp_path):
    code, _, err = run("import_document", str(tmp_path))

    assert code == 1
    assert "keine Datei" in err


def test_a_document_error_of_the_parser_is_printed_with_its_line(var_dir, document, monkeypatch):
    def parse(text: str, slug: str):
        raise DocumentError("Tabellenkopf ohne Leitziel", line=42)

    monkeypatch.setattr(import_document, "parse_document", parse)

    code, _, err = run("import_document", str(document))

    assert code == 1
    assert err.strip() == "Fehler: Zeile 42: Tabellenkopf ohne Leitziel"
    assert not Plan.objects.exists()


def test_importing_a_new_document_prints_a_summary_and_saves_the_report(
    var_dir, document, fake_parser
):
    code, out, _ = run("import_document", str(document))

    assert code == 0
    assert Plan.objects.filter(slug="kek-2030").exists()
    assert "Plan „kek-2030“ wurde neu angelegt." in out
    assert "Einordnungen" in out and "Normalisierungen" in out
    report = (var_dir / "import-report-kek-2030.txt").read_text(encoding="utf-8")
    assert "Zeile 101: [alias] „Afs“ → „AfS“ – Schreibweise" in report
    assert "Zeile 104: „XYZ“" in report


def test_the_report_option_prints_the_whole_report(var_dir, document, fake_parser):
    code, out, _ = run("import_document", str(document), "--report")

    assert code == 0
    assert "Nicht aufgelöste Abkürzungen (1):" in out


def test_importing_the_same_document_again_changes_nothing_and_exits_zero(
    var_dir, document, fake_parser
):
    run("import_document", str(document))

    code, out, _ = run("import_document", str(document))

    assert code == 0
    assert "Keine Änderungen" in out


def test_changes_without_apply_exit_with_three_and_are_listed(var_dir, document, fake_parser):
    run("import_document", str(document))
    fake_parser["plan"].measures[0].title = "Neu formuliert"

    code, out, _ = run("import_document", str(document))

    assert code == 3
    assert "Maßnahme 1-1: Titel" in out
    assert "mit --apply übernehmen" in out
    assert Plan.objects.get().measures.get(number="1-1").title != "Neu formuliert"


def test_changes_with_apply_are_written_and_exit_zero(var_dir, document, fake_parser):
    run("import_document", str(document))
    fake_parser["plan"].measures[0].title = "Neu formuliert"

    code, out, _ = run("import_document", str(document), "--apply")

    assert code == 0
    assert "wurde aktualisiert" in out
    assert Plan.objects.get().measures.get(number="1-1").title == "Neu formuliert"


def test_if_new_skips_a_plan_that_is_already_imported(var_dir, tmp_path, fake_parser):
    import_parsed_plan(small_plan("kek-2030"), apply=False)

    code, out, _ = run("import_document", str(tmp_path / "fehlt.txt"), "--if-new")

    assert code == 0
    assert out.strip() == "Plan „kek-2030“ ist bereits importiert."


def test_export_writes_the_placement_csv_without_an_extra_newline(db):
    import_parsed_plan(small_plan(), apply=False)

    code, out, _ = run("export", "placements", "--plan", "kek-test", "--format", "csv")

    assert code == 0
    assert out.startswith("number,field,goal,")
    assert out.endswith(",0,105\n")


def test_export_of_an_unknown_plan_is_an_error(db):
    code, _, err = run("export", "plan", "--plan", "gibt-es-nicht")

    assert code == 1
    assert "Plan „gibt-es-nicht“ gibt es nicht." in err


def test_export_of_the_plan_as_csv_is_refused(db):
    import_parsed_plan(small_plan(), apply=False)

    code, _, err = run("export", "plan", "--plan", "kek-test", "--format", "csv")

    assert code == 1
    assert "nur als JSON" in err


def test_import_data_reads_an_exported_plan_back(db, tmp_path):
    import_parsed_plan(small_plan(), apply=False)
    _, exported, _ = run("export", "plan", "--plan", "kek-test", "--format", "json")
    Plan.objects.get().placements.all().delete()
    Plan.objects.all().delete()
    path = tmp_path / "plan.json"
    path.write_text(exported, encoding="utf-8")

    code, out, _ = run("import_data", "plan", str(path))

    assert code == 0
    assert out.strip() == "Plan „kek-test“ importiert: 4 Maßnahmen, 6 Einordnungen."
    assert run("export", "plan", "--plan", "kek-test")[1] == exported


def test_import_data_refuses_a_file_that_is_not_json(db, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text("{kaputt", encoding="utf-8")

    code, _, err = run("import_data", "plan", str(path))

    assert code == 1
    assert "kein gültiges JSON" in err


def test_import_data_refuses_json_of_another_shape(db, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"slug": "x"}), encoding="utf-8")

    code, _, err = run("import_data", "plan", str(path))

    assert code == 1
    assert "entspricht nicht dem Plan-Format" in err
