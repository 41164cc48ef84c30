"""Bad and mutated input: a clear German DocumentError with a line, never another exception."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plans.importers.kek_text import parse_document
from plans.importers.structure import DocumentError, ParsedPlan

DOCUMENT = Path(__file__).resolve().parents[2] / "data" / "kek-2030" / "massnahmenkonzept.txt"
TEXT = DOCUMENT.read_text(encoding="utf-8")
LINES = TEXT.split("\n")


def test_empty_file_is_refused_in_german():
    with pytest.raises(DocumentError, match="Die Datei ist leer"):
        parse_document("")
    with pytest.raises(DocumentError, match="leer"):
        parse_document("\n  \n\t\n")


def test_binary_file_is_refused_with_its_line():
    with pytest.raises(DocumentError, match="Binärdaten") as error:
        parse_document("KEK 2030\n\x00\x01\x02PK\x03\x04")
    assert error.value.line == 2


def test_a_different_document_is_refused():
    with pytest.raises(DocumentError, match="kein Maßnahmenkonzept"):
        parse_document("# README\n\nDies ist eine Anleitung.\n")


@pytest.mark.parametrize("cut_at", [300, 600, 1000])
def test_truncated_document_is_refused_as_incomplete(cut_at):
    with pytest.raises(DocumentError, match="unvollständig"):
        parse_document("\n".join(LINES[:cut_at]))


def test_table_row_with_an_extra_column_is_refused_with_its_line():
    lines = list(LINES)
    lines[92] = lines[92] + "\tÜberzählige Spalte"  # row of 1-2, line 93
    with pytest.raises(DocumentError, match="Priorität") as error:
        parse_document("\n".join(lines))
    assert error.value.line == 93


def test_table_row_without_tabs_is_refused_with_its_line():
    lines = list(LINES)
    lines[92] = lines[92].replace("\t", "    ")
    with pytest.raises(DocumentError, match="Spalten") as error:
        parse_document("\n".join(lines))
    assert error.value.line == 93


def test_windows_line_endings_and_bom_import_the_same_plan():
    plain = parse_document(TEXT)
    windows = parse_document("\ufeff" + TEXT.replace("\n", "\r\n"))
    assert [(p.number, p.line, p.lead) for p in windows.placements] == [
        (p.number, p.line, p.lead) for p in plain.placements
    ]


def _outcome(text: str) -> ParsedPlan | None:
    """Parse; None for a DocumentError. Any other exception fails the test."""
    try:
        plan = parse_document(text)
    except DocumentError as error:
        assert str(error), "a DocumentError must say what is wrong"
        return None
    assert plan.placements, "a successful import has placements"
    return plan


fast = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


FULL = parse_document(TEXT)


def _rows(plan: ParsedPlan) -> list[tuple[str, int, str]]:
    return [(p.number, p.line, p.lead) for p in plan.placements]


@fast
@given(st.integers(min_value=0, max_value=len(LINES)))
def test_truncation_anywhere_never_crashes(cut_at):
    """A cut inside a table is refused; a cut between two tables (KEK 2030 has one such place,
    before the last table) is a shorter but complete document: it imports exactly the rows
    before the cut, nothing garbled."""
    plan = _outcome("\n".join(LINES[:cut_at]))
    if plan is not None:
        rows = _rows(plan)
        assert rows == _rows(FULL)[: len(rows)]
        assert all(line <= cut_at for _number, line, _lead in rows)


@pytest.mark.parametrize("cut_at", [1165, 1166])
def test_a_cut_between_the_last_two_tables_imports_the_rows_before_it(cut_at):
    plan = _outcome("\n".join(LINES[:cut_at]))

    assert plan is not None
    assert plan.placements[-1].number == "3-55"
    assert _rows(plan) == _rows(FULL)[: len(plan.placements)]


@fast
@given(st.lists(st.integers(min_value=0, max_value=len(LINES) - 1), min_size=1, max_size=8))
def test_deleting_lines_never_crashes(indexes):
    lines = [line for i, line in enumerate(LINES) if i not in set(indexes)]
    _outcome("\n".join(lines))


@fast
@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=60, max_value=1180))
def test_shuffling_a_fragment_never_crashes(seed, start):
    lines = list(LINES)
    fragment = lines[start : start + 12]
    random.Random(seed).shuffle(fragment)
    lines[start : start + 12] = fragment
    _outcome("\n".join(lines))


@fast
@given(
    st.integers(min_value=0, max_value=len(TEXT) - 1),
    st.lists(
        st.sampled_from(["\t", "\n", "|", "+", "-", "SV I.", "2-", "○", "<ul>", "*", "x"]),
        min_size=1,
        max_size=6,
    ).map("".join),
)
def test_inserting_structure_characters_never_crashes(position, insertion):
    _outcome(TEXT[:position] + insertion + TEXT[position:])


@fast
@given(st.binary(min_size=1, max_size=200))
def test_random_bytes_are_refused(data):
    text = data.decode("utf-8", errors="replace")
    assert _outcome(text) is None
