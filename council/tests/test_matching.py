"""Which measure numbers and KEK mentions the sync finds in a paper's text."""

from __future__ import annotations

import pytest

from council.matching import find_mentions

PLAN = {"2-84", "2-9", "3-22", "1-2"}


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("Maßnahme 2-84: Monitoringsystem", ("2-84",)),
        ("Maßnahmen 2-84 und 3-22 des Konzepts", ("2-84", "3-22")),
        ("Maßnahme 2 – 84", ("2-84",)),
        ("(2-84/3-22)", ("2-84", "3-22")),
        ("Maßnahme 2-09", ("2-9",)),
        ("Sitzung vom 12-05-2024", ()),  # part of a date
        ("Anlage 2-84.pdf", ("2-84",)),
        ("Version 2-84.1", ()),
        ("Maßnahme 4-1 und 2-85", ()),  # numbers the plan does not have
        ("Drucksache 2026/017", ()),
    ],
)
def test_measure_numbers_are_found_only_as_whole_numbers_of_the_plan(text, numbers):
    assert find_mentions(text, PLAN).numbers == numbers


@pytest.mark.parametrize(
    ("text", "names_plan"),
    [
        ("Bericht zum KEK 2030", True),
        ("Fortschreibung des Kreisentwicklungskonzeptes", True),
        ("Kekse für die Sitzung", False),
        ("Haushaltssatzung 2026", False),
    ],
)
def test_the_kek_is_found_by_its_name(text, names_plan):
    mentions = find_mentions(text, PLAN)
    assert mentions.names_plan is names_plan
    assert bool(mentions) is names_plan
