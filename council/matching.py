"""Which measures (and whether the KEK) a council paper's text names. Plain Python, no Django."""

from __future__ import annotations

import re
from dataclasses import dataclass

# "2-84", "2 - 84", "2–84"; not part of a date, file name or longer number ("12-05-2024").
MEASURE_NUMBER = re.compile(r"(?<![\w.\-–])([1-9])\s?[-–]\s?(\d{1,3})(?![\w\-–]|[.,]\d)")
PLAN_NAMES = re.compile(r"\bKEK\b|Kreisentwicklungskonzept", re.IGNORECASE)


@dataclass(frozen=True)
class Mentions:
    """The measure numbers of the plan a text names (in order) and whether it names the KEK."""

    numbers: tuple[str, ...]
    names_plan: bool

    def __bool__(self) -> bool:
        return bool(self.numbers) or self.names_plan


def find_mentions(text: str, known_numbers: set[str]) -> Mentions:
    """The plan's measure numbers in the text (only numbers the plan has) and KEK mentions."""
    found: dict[str, None] = {}
    for match in MEASURE_NUMBER.finditer(text):
        number = f"{match.group(1)}-{int(match.group(2))}"
        if number in known_numbers:
            found[number] = None
    return Mentions(tuple(found), bool(PLAN_NAMES.search(text)))
