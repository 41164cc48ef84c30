"""The Nr. and Priorität cells: measure numbers, key-project (SV) references, priorities."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
ARABIC_TO_ROMAN = {str(v): k for k, v in ROMAN.items()}

_SV = re.compile(r"SV\s*(III|II|IV|V|I|[1-5])\s*\.\s*(\d{1,2})")
_NUMBER = re.compile(r"(?<![\w.])([1-3Il])\s*-\s*(\d{1,3})(?:\s*-\s*(\d{1,3}))?(?![\w.])")
_SEPARATORS = re.compile(r"^[\s/,;]*(?:und|bis)?[\s/,;]*$")
_PRIORITY = re.compile(r"^\+{1,3}(?:\s*/\s*\+{1,3})*$")


@dataclass
class NumberCell:
    """What an Nr. cell holds, normalised, and what was normalised."""

    numbers: list[str] = field(default_factory=list)
    key_projects: list[str] = field(default_factory=list)
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, original, result)


def normalise_key_project(match: re.Match[str]) -> str:
    """Canonical "SV I.2" spelling of an SV reference (digits and missing spaces fixed)."""
    roman = match.group(1)
    roman = ARABIC_TO_ROMAN.get(roman, roman)
    return f"SV {roman}.{int(match.group(2))}"


def key_project_field(code: str) -> int:
    """Handlungsfeld of a canonical key-project code ("SV II.3" -> 2)."""
    return ROMAN[code.split()[1].split(".")[0]]


def parse_number_cell(cell: str) -> NumberCell | None:
    """Parse an Nr. cell; None if the cell is not a number/SV cell at all."""
    text = cell.strip()
    if not text:
        return None
    result = NumberCell()
    for match in _SV.finditer(text):
        code = normalise_key_project(match)
        if match.group(0) != code:
            result.changes.append(("key-project", match.group(0), code))
        if code not in result.key_projects:
            result.key_projects.append(code)
    rest = _SV.sub(" ", text)
    numbers: list[str] = []
    position = 0
    range_start: tuple[str, int] | None = None
    for match in _NUMBER.finditer(rest):
        if not _SEPARATORS.match(rest[position : match.start()]):
            return None
        prefix, seq, second = match.group(1), int(match.group(2)), match.group(3)
        field_digit = "1" if prefix in "Il" else prefix
        if prefix in "Il":
            result.changes.append(("number-typo", match.group(0), f"{field_digit}-{seq}"))
        if range_start and range_start[0] == field_digit and range_start[1] < seq:
            # "3-16 bis 3-20": every number of the range is placed here.
            expanded = [f"{field_digit}-{n}" for n in range(range_start[1] + 1, seq + 1)]
            numbers.extend(expanded)
            first = f"{range_start[0]}-{range_start[1]}"
            result.changes.append(
                ("combined-number", f"{first} bis {match.group(0)}", ", ".join([first, *expanded]))
            )
        else:
            numbers.append(f"{field_digit}-{seq}")
            if second is not None:
                # "3-34-35": two numbers of the same field written as one.
                numbers.append(f"{field_digit}-{int(second)}")
                result.changes.append(
                    (
                        "combined-number",
                        match.group(0),
                        f"{field_digit}-{seq}, {field_digit}-{second}",
                    )
                )
        range_start = (field_digit, seq) if re.match(r"^\s*bis\s", rest[match.end() :]) else None
        position = match.end()
    if not _SEPARATORS.match(rest[position:]):
        return None
    result.numbers = list(dict.fromkeys(numbers))
    if not result.numbers and not result.key_projects:
        return None
    if len(result.numbers) > 1 and not any(c[0] == "combined-number" for c in result.changes):
        result.changes.append(("combined-number", text, ", ".join(result.numbers)))
    return result


def is_priority(cell: str) -> bool:
    """True for a printed priority: "+", "++", "+++", "+++ / ++", …"""
    return bool(_PRIORITY.match(cell.strip()))


def priority_level(printed: str) -> int | None:
    """Highest level (number of "+") of a printed priority, None when empty."""
    levels = [len(part.strip()) for part in printed.split("/") if part.strip()]
    return max(levels) if levels else None


def number_sort_key(number: str) -> tuple[int, int]:
    """Natural order of measure numbers: 1-2 < 1-10 < 2-1."""
    field_part, seq = number.split("-")
    return int(field_part), int(seq)
