"""What people type and the page they expect first; the suite runs it on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from search.query import search

FIRST_HITS = [
    # Words inside German compounds; umlauts and ß either way.
    ("Straße", ("organisation", "AfS")),  # "Straßenbau" begins a word of its title
    ("Strasse", ("organisation", "AfS")),
    ("Kreisstraßenkonzept", ("measure", "1-1")),
    ("Kreisstrassenkonzept", ("measure", "1-1")),
    ("Kreisstraße", ("measure", "1-1")),  # inside the title beats inside the text
    ("Fernstraßenverbindung", ("measure", "1-3")),
    ("Brache", ("measure", "1-7")),  # "Brachflächenmanagement": the compound drops the "e"
    ("Brachflächenkataster", ("measure", "2-84")),
    ("Kataster", ("measure", "1-60")),  # "Wegweisungskatasters"
    ("Leerstand", ("measure", "2-84")),
    ("Bildungsmonitoring", ("measure", "2-84")),
    ("Gesundheitsberichterstattung", ("measure", "2-84")),
    ("Hochwasserschutz", ("measure", "3-3")),
    ("Klimaschutzkonzept", ("measure", "3-22")),
    ("Förderdatenbank", ("measure", "2-47")),
    ("Foerderdatenbank", ("measure", "2-47")),
    ("Gewerbeflächen", ("measure", "1-7")),
    ("Radwegenetz", ("measure", "3-55")),
    ("Fahrradweg", ("measure", "1-51")),  # its tail "radweg" begins "Radwegen" in the title
    ("ÖPNV", ("measure", "1-41")),  # a whole word in its title; ties go by number
    ("Vermarktung Oepnv", ("measure", "3-36")),
    # Whole words first, then words beginning with the term, then parts of words.
    ("Klimaschutz", ("measure", "3-23")),
    ("Breitbandausbau", ("organisation", "Koordinator Breitbandausbau")),
    ("Schule", ("measure", "1-44")),
    ("Tourismus", ("measure", "1-55")),
    # Several words: all required.
    ("Monitoring Geoportal", ("measure", "2-84")),
    ("Koordinator Kreisentwicklung", ("measure", "2-96")),
    ("Kommunikation Bürger", ("measure", "2-90")),
    ("Evaluierung Zielerreichung", ("measure", "3-22")),
    ("Starker Wirtschaftsstandort", ("node", "1")),
    ("Nachhaltiger Lebensraum", ("node", "3")),
    ("Amt für Straßenbau", ("organisation", "AfS")),
    ("Straßenverkehrsamt", ("organisation", "SVA")),
    ("SLR", ("organisation", "SLR")),
    # Measure numbers, however written.
    ("2-84", ("measure", "2-84")),
    ("2–84", ("measure", "2-84")),
    ("2 84", ("measure", "2-84")),
    ("2 - 84", ("measure", "2-84")),
    ("1-1", ("measure", "1-1")),
    ("3-55", ("measure", "3-55")),
    ("Maßnahme 2-90", ("measure", "2-90")),
    # Key project codes, however written.
    ("SV II.1", ("key_project", "SV II.1")),
    ("SV 2.1", ("key_project", "SV II.1")),
    ("SVII.1", ("key_project", "SV II.1")),
    ("sv ii 1", ("key_project", "SV II.1")),
    ("SV I.2", ("key_project", "SV I.2")),
    ("SV 3.4", ("key_project", "SV III.4")),
]


@pytest.mark.parametrize(("query", "expected"), FIRST_HITS, ids=[q for q, _ in FIRST_HITS])
def test_the_page_people_expect_comes_first(kek_plan, query, expected):
    _terms, hits = search(kek_plan, query)
    assert hits, "something is found"
    assert (hits[0].entry.kind, hits[0].entry.key) == expected


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("Straße", {"Kreisstraßenkonzept", "Fernstraßenverbindung"}),
        ("Brache", {"Brachflächenkataster"}),
    ],
)
def test_a_word_is_found_inside_compounds(kek_plan, query, words):
    _terms, hits = search(kek_plan, query)
    texts = " ".join(f"{hit.entry.title} {hit.entry.body}" for hit in hits)
    assert {word for word in words if word in texts} == words


def test_whole_word_hits_rank_before_parts_of_words(kek_plan):
    _terms, hits = search(kek_plan, "Straße")
    keys = [hit.entry.key for hit in hits]
    # "Straßen" / "Straßenbau" begin words; "Kreisstraßenkonzept" has it inside a word only.
    assert keys.index("3-47") < keys.index("1-1")
    assert keys.index("AfS") < keys.index("1-3")


@pytest.mark.parametrize("query", ["2-84", "2 84", "SV II.1", "SVII.1"])
def test_a_query_that_only_names_a_number_or_code_finds_just_its_page(kek_plan, query):
    terms, hits = search(kek_plan, query)
    assert terms == []
    assert len(hits) == 1
