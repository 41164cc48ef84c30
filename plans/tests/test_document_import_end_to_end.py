"""The real document through the commands: export contract, and no partial writes ever."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

DATA = Path(__file__).parent / "data"
DOCUMENT = Path(__file__).resolve().parents[2] / "data" / "kek-2030" / "massnahmenkonzept.txt"
LINES = DOCUMENT.read_text(encoding="utf-8").split("\n")

pytestmark = pytest.mark.django_db


def export(what: str = "placements", export_format: str = "csv") -> bytes:
    out = io.BytesIO()
    wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="")
    call_command("export", what, plan="kek-2030", format=export_format, stdout=wrapper)
    wrapper.flush()
    return out.getvalue()


def import_document(path: Path, *extra: str) -> int:
    try:
        call_command(
            "import_document",
            str(path),
            "--plan",
            "kek-2030",
            *extra,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


@pytest.fixture
def imported(var_dir):
    assert import_document(DOCUMENT) == 0


def test_placement_export_matches_the_reviewed_reading_of_the_document(imported):
    expected = (DATA / "kek2030_placements.csv").read_bytes()
    assert export() == expected


def test_placement_export_starts_with_the_contracted_header(imported):
    header = export().split(b"\n", 1)[0]
    assert header.decode().split(",") == [
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
    ]


def test_second_import_of_the_same_file_changes_nothing(imported):
    before = export("plan", "json")
    assert import_document(DOCUMENT) == 0
    assert export("plan", "json") == before


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.integers(min_value=0, max_value=2**32),
    mutation=st.sampled_from(["truncate", "delete", "shuffle", "break-columns"]),
)
def test_a_mutated_document_is_imported_whole_or_not_at_all(imported, tmp_path, seed, mutation):
    rng = random.Random(seed)
    lines = list(LINES)
    at = rng.randrange(60, len(lines) - 1)
    if mutation == "truncate":
        lines = lines[:at]
    elif mutation == "delete":
        del lines[at]
    elif mutation == "shuffle":
        fragment = lines[at : at + 10]
        rng.shuffle(fragment)
        lines[at : at + 10] = fragment
    else:
        lines[at] = lines[at] + "\tx\ty\tz"
    path = tmp_path / f"mutated-{seed}.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    before = export("plan", "json")
    code = import_document(path, "--apply")
    assert code in (0, 1)
    if code == 1:
        assert export("plan", "json") == before  # nothing written on failure
    else:
        assert export().startswith(b"number,field,goal")
