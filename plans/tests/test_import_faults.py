"""Faults found under load and hostile input: concurrent imports, hostile plan JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from plans.models import Plan
from plans.plan_data import plan_to_data
from plans.plan_diff import PlanImportError
from plans.services import import_parsed_plan, import_plan_json, importing
from plans.tests.parsed_plans import changed, small_plan

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code)
    return code, out.getvalue(), err.getvalue()


def two_versions() -> tuple[dict[str, Any], dict[str, Any]]:
    """Two plan files of the same new plan with different content."""
    first = small_plan("kek-neu")
    second = changed(first)
    second.title = "Zweite Fassung"
    return plan_to_data(first), plan_to_data(second)


def test_the_loser_of_two_concurrent_plan_imports_fails_clearly(monkeypatch: Any) -> None:
    """The other import writes the plan after this one's existence check (the race)."""
    mine, theirs = two_versions()
    original = importing.parsed_plan_from_data

    def other_import_wins(data: dict[str, Any]) -> Any:
        monkeypatch.setattr(importing, "parsed_plan_from_data", original)
        import_plan_json(theirs)
        return original(data)

    monkeypatch.setattr(importing, "parsed_plan_from_data", other_import_wins)

    with pytest.raises(PlanImportError, match="kek-neu"):
        import_plan_json(mine)
    assert Plan.objects.get(slug="kek-neu").title == "Zweite Fassung"


def test_a_plan_created_concurrently_is_no_traceback(monkeypatch: Any) -> None:
    """As on PostgreSQL: both imports see no plan, the loser's insert hits the unique slug."""
    first = small_plan("kek-neu")
    import_parsed_plan(first, apply=True)
    monkeypatch.setattr(Plan.objects, "select_for_update", lambda: Plan.objects.none())

    with pytest.raises(PlanImportError, match="gleichzeitig"):
        import_parsed_plan(changed(first), apply=True)
    assert Plan.objects.filter(slug="kek-neu").count() == 1


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    return path


def assert_one_german_line(code: int, err: str, *expected: str) -> None:
    assert code != 0
    assert "Traceback" not in err
    assert err.strip().count("\n") == 0, err[:500]
    for text in expected:
        assert text in err


def test_deeply_nested_json_is_one_german_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[" * 100_000 + "]" * 100_000)
    code, _, err = run("import_data", "plan", str(path))
    assert_one_german_line(code, err, "zu tief verschachtelt")


def test_a_huge_integer_is_one_german_line(tmp_path: Path) -> None:
    data = plan_to_data(small_plan("kek-neu"))
    data["source_lines"] = 12345
    text = json.dumps(data).replace('"source_lines": 12345', '"source_lines": ' + "9" * 5000)
    assert "9" * 5000 in text
    code, _, err = run("import_data", "plan", str(write(tmp_path, text)))
    assert_one_german_line(code, err, "Fehler")
    assert "9" * 100 not in err


def test_a_file_over_20_mb_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    with path.open("wb") as file:
        file.truncate(20 * 1024 * 1024 + 1)
    code, _, err = run("import_data", "plan", str(path))
    assert_one_german_line(code, err, "größer als 20 MB")


def test_a_schema_error_never_echoes_a_huge_value(tmp_path: Path) -> None:
    data = plan_to_data(small_plan("kek-neu"))
    data["title"] = "x" * 15_000_000
    code, _, err = run("import_data", "plan", str(write(tmp_path, json.dumps(data))))
    assert code != 0
    assert "title" in err
    assert len(err) < 2_000
    assert not Plan.objects.filter(slug="kek-neu").exists()


def test_overlong_texts_are_refused_by_the_schema(tmp_path: Path) -> None:
    data = plan_to_data(small_plan("kek-neu"))
    data["placements"][0]["text"] = "Wort " * 10_000
    code, _, err = run("import_data", "plan", str(write(tmp_path, json.dumps(data))))
    assert code != 0
    assert "placements/0/text" in err
    assert len(err) < 2_000


def with_duplicated_number() -> Any:
    """KEK test plan in which measure 1-2's row was mistyped as a second 1-1 in the same table."""
    plan = changed(small_plan("kek-2030"))
    plan.placements[1].number = "1-1"
    return plan


def test_the_preview_warns_of_one_number_with_two_wordings() -> None:
    import_parsed_plan(small_plan("kek-2030"), apply=True)

    result = import_parsed_plan(with_duplicated_number(), apply=False)

    assert not result.applied
    assert len(result.warnings) == 1
    assert "1-1" in result.warnings[0]
    assert "Maßnahme 1-1 im Feld 1" in result.warnings[0]
    assert "Maßnahme 1-2 im Feld 1" in result.warnings[0]


def test_building_blocks_and_interlinked_placements_are_no_warning() -> None:
    assert import_parsed_plan(small_plan("kek-2030"), apply=False).warnings == []


def test_the_import_command_prints_the_warning(
    monkeypatch: Any, tmp_path: Path, settings: Any
) -> None:
    from plans.management.commands import import_document

    settings.VAR_DIR = tmp_path
    import_parsed_plan(small_plan("kek-2030"), apply=True)
    monkeypatch.setattr(
        import_document, "parse_document", lambda text, slug: with_duplicated_number()
    )
    document = tmp_path / "konzept.txt"
    document.write_text("Maßnahmenkonzept\n", encoding="utf-8")

    _, out, _ = run("import_document", str(document))

    assert "Warnung" in out
    assert "1-1" in out
