"""The KEK 2030 document parser against the real document, read by hand row by row."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from plans.importers.kek_text import parse_document
from plans.importers.structure import ParsedPlan

DOCUMENT = Path(__file__).resolve().parents[2] / "data" / "kek-2030" / "massnahmenkonzept.txt"

# Placements written down from reading the document, one per line; each covers a quirk.
EXPECTED_ROWS = Path(__file__).parent / "data" / "kek2030_hand_read_placements.csv"


@pytest.fixture(scope="module")
def plan() -> ParsedPlan:
    return parse_document(DOCUMENT.read_text(encoding="utf-8"))


def as_row(placement) -> tuple[str, ...]:
    return (
        placement.number,
        str(placement.field_number),
        placement.goal_code,
        placement.subgoal_label,
        placement.approach_label,
        placement.lead,
        placement.participants,
        placement.priority,
        ";".join(placement.key_projects),
        str(int(placement.commission)),
        str(placement.line),
    )


def test_hand_read_placements_are_imported_field_by_field(plan):
    by_key = {(p.number, p.line): as_row(p) for p in plan.placements}
    expected = list(csv.reader(io.StringIO(EXPECTED_ROWS.read_text(encoding="utf-8"))))[1:]
    assert len(expected) >= 60
    assert {row[1] for row in expected} == {"1", "2", "3"}
    for row in expected:
        assert by_key.get((row[0], int(row[10]))) == tuple(row), row


def test_document_has_the_counts_verified_by_reading(plan):
    levels = Counter(node.level for node in plan.nodes)
    assert levels[1] == 3  # Handlungsfelder
    assert levels[2] == 10  # Leitziele 1.1–1.4, 2.1–2.3, 3.1–3.3
    assert levels[3] == 39  # Teilziele of the "Teilziele:" lists
    assert len(plan.measures) == 233  # 1-1…1-63, 2-1…2-112 without 2-30, 3-1…3-59
    assert Counter(m.home_field for m in plan.measures) == {1: 63, 2: 111, 3: 59}
    assert "2-30" not in {m.number for m in plan.measures}
    assert len(plan.placements) == 307
    assert Counter(p.field_number for p in plan.placements) == {1: 102, 2: 138, 3: 67}
    assert sum(o.in_glossary for o in plan.organisations) == 32  # 22 offices + 10 partners
    assert [k.code for k in plan.key_projects] == [
        "SV I.1",
        "SV I.2",
        "SV I.3",
        "SV I.4",
        "SV II.1",
        "SV II.2",
        "SV II.3",
        "SV II.4",
        "SV II.5",
        "SV III.1",
        "SV III.2",
        "SV III.3",
        "SV III.4",
    ]


def test_placements_are_in_document_order(plan):
    assert [p.order for p in plan.placements] == list(range(len(plan.placements)))
    lines = [p.line for p in plan.placements]
    assert lines == sorted(lines)


def test_fields_carry_names_and_colours_of_the_legend(plan):
    fields = [(n.label, n.colour) for n in plan.nodes if n.level == 1]
    assert fields == [
        ("Starker Wirtschaftsstandort", "blue"),
        ("L(i)ebenswerte Orte", "red"),
        ("Nachhaltiger Lebensraum", "green"),
    ]


def test_goals_and_subgoals_keep_long_texts_and_page_references(plan):
    nodes = {n.key: n for n in plan.nodes}
    assert nodes["1.3"].pages == "Seite 19 - 21"
    assert nodes["1.1"].text.startswith("Breit aufgestellte, zukunftsfähige")
    assert nodes["1.1.1"].label == "Attraktive Standortbedingungen"
    assert nodes["1.1.1"].pages == "Seite 7 - 9"
    assert nodes["1.1.1"].text.startswith("Der Landkreis bietet den Unternehmen attraktive")
    assert nodes["3.2.1"].label == "Klimaschutz"
    assert "Ressourceneffizienz" in nodes["3.2.1"].aliases
    assert nodes["2.3.6"].pages == "Seite 56"


def test_glossary_organisations_have_full_names_and_kinds(plan):
    organisations = {o.abbreviation: o for o in plan.organisations}
    assert organisations["AfS"].name == "Amt für Straßenbau"
    assert organisations["AfS"].kind == "office"
    assert "Afs" in organisations["AfS"].aliases
    assert organisations["EB RD/BS"].name == "Eigenbetrieb Rettungsdienst und Brandschutz"
    assert organisations["TV's"].kind == "partner"
    assert "HF" not in organisations  # "Handlungsfeld" is a term, not an organisation
    assert "KE BK" in organisations["EB BK"].aliases


def test_leads_resolve_to_organisations_in_printed_order(plan):
    placement = next(p for p in plan.placements if p.line == 1093)
    assert placement.lead_organisations == ["SLR", "UWA", "VA", "LW"]
    placement = next(p for p in plan.placements if p.line == 95)
    assert placement.lead_organisations == ["AfS"]
    assert placement.participant_organisations == ["Kommunen", "SLR"]


def test_unresolved_abbreviations_are_listed_not_dropped(plan):
    unresolved = {abbreviation for _, abbreviation in plan.unresolved}
    assert {"MDV", "ZVNL", "IHK", "HWK", "IRL"} <= unresolved
    assert (1093, "LW") in plan.unresolved


def test_every_normalisation_is_reported_with_its_line(plan):
    reported = {(n.line, n.kind, n.original, n.result) for n in plan.normalisations}
    assert (230, "number-typo", "I-33", "1-33") in reported
    assert (230, "key-project", "SV 1.2", "SV I.2") in reported
    assert (214, "key-project", "SVI.2", "SV I.2") in reported
    assert (95, "alias", "Afs", "AfS") in reported
    assert (257, "combined-number", "3-34-35", "3-34, 3-35") in reported
    assert (487, "combined-number", "3-16 bis 3-20", "3-16, 3-17, 3-18, 3-19, 3-20") in reported
    assert (114, "hyphenation", "Gewerbe- flächen-", "Gewerbeflächen-") in reported or any(
        n.line == 114 and n.kind == "hyphenation" for n in plan.normalisations
    )
    kinds = Counter(n.kind for n in plan.normalisations)
    assert kinds["continuation-row"] == 3  # SV I.3 (193), 3-35 (283), SV III.2 (1086)
    assert kinds["building-block"] == 13  # 7 under 2-21, 5 under 2-84, 1 under 3-27
    assert kinds["page-header"] > 40


def test_building_blocks_belong_to_the_measure_above(plan):
    blocks = [p for p in plan.placements if p.parent_order is not None]
    assert Counter(p.number for p in blocks) == {"2-21": 7, "2-84": 5, "3-27": 1}
    parent = plan.placements[blocks[0].parent_order]
    assert (parent.number, parent.line) == ("2-21", 491)


def test_sub_items_are_nested_as_printed(plan):
    placement = next(p for p in plan.placements if p.line == 213)
    assert placement.title.startswith("Begleitung des Bundesmodellvorhaben")
    assert [len(s.children) for s in placement.steps] == [0, 2, 0, 0]
    assert (
        placement.steps[1].children[0].text
        == "Wiederherstellung der B 176 zwischen Pegau und Hohenmölsen"
    )
    placement = next(p for p in plan.placements if p.line == 1119)
    assert [s.text[:20] for s in placement.steps] == [
        "Erschließung von lei",
        "„Landkreis in Fahrt“",
    ]
    assert len(placement.steps[0].children) == 3


def test_running_text_dashes_are_not_sub_items(plan):
    placement = next(p for p in plan.placements if p.line == 285)
    assert "Leipzig – Bad Lausick – Chemnitz" in [s.text for s in placement.steps]


def test_html_fragments_are_removed_from_wording(plan):
    for placement in plan.placements:
        assert "<" not in placement.text and "<" not in placement.title, placement.line
        assert "<" not in placement.participants, placement.line


def test_commission_star_is_not_the_gender_star(plan):
    placement = next(p for p in plan.placements if p.line == 554)  # Mitarbeiter*innen
    assert placement.commission is False
    commission = sorted(
        {m.number for m in plan.measures if m.commission}, key=lambda n: (int(n[0]), int(n[2:]))
    )
    assert commission == [
        "1-3",
        "1-4",
        "1-5",
        "1-9",
        "1-10",
        "1-14",
        "1-16",
        "1-47",
        "3-29",
        "3-45",
        "3-56",
    ]


def test_measure_title_comes_from_its_home_field(plan):
    measures = {m.number: m for m in plan.measures}
    assert measures["3-34"].title.startswith(
        "Weiterentwicklung des Integrierten Mobilitätskonzeptes"
    )
    assert measures["2-84"].title.startswith(
        "Aufbau eines umfassenden, zentralen Monitoringsystems"
    )
    assert measures["1-33"].home_field == 1


def test_same_text_gives_the_same_plan(plan):
    again = parse_document(DOCUMENT.read_text(encoding="utf-8"))
    assert [as_row(p) for p in again.placements] == [as_row(p) for p in plan.placements]
    assert again.source_sha256 == plan.source_sha256
