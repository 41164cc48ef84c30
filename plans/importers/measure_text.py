"""A Maßnahmen cell: wording, nested sub-items (○, •, ▪, ✓, o, – and - lists) and the * flag."""

from __future__ import annotations

import re

from .structure import ParsedStep
from .text_cleaning import clean_cell, normalise_space

# Markers that always start a sub-item, wherever they stand.
_ALWAYS = "○•▪✓"
# Markers that start a sub-item only right after a list tag or inside a list of their own kind:
# elsewhere "–"/"-" are dashes in running text ("Leipzig – Bad Lausick – Chemnitz").
_LIST_ONLY = "–-"
_UNMARKED = "ul"
_PARAGRAPH = "p"
_UL = re.compile(r"<ul\b[^>]*>", re.IGNORECASE)
_COMMISSION = re.compile(r"\*(?![a-zäöüß])")  # not the gender star of "Mitarbeiter*innen"


def has_commission_flag(text: str) -> bool:
    """True if the wording carries the * of the Kommission's final report."""
    return bool(_COMMISSION.search(text))


def _tokenise(raw: str) -> list[tuple[str | None, str]]:
    """Split a raw cell into (marker, text) segments; marker None for running text."""
    segments: list[tuple[str | None, str]] = []
    buffer: list[str] = []
    current: str | None = None
    active_list_markers: set[str] = set()
    after_ul = False
    i = 0
    while i < len(raw):
        ul = _UL.match(raw, i)
        if ul:
            after_ul = True
            buffer.append(" ")
            i = ul.end()
            rest = raw[i:].lstrip()
            starts_with_marker = bool(rest) and (
                rest[0] in _ALWAYS or (rest[0] in _LIST_ONLY + "o" and rest[1:2] == " ")
            )
            if rest and not starts_with_marker and not rest.startswith("<"):
                # A list whose item markers the PDF export lost: keep it as one item.
                segments.append((current, "".join(buffer)))
                buffer, current, after_ul = [], _UNMARKED, False
            continue
        in_list = current is not None or any(m is not None for m, _ in segments)
        if raw.startswith("<p>", i) and in_list:
            # A paragraph after the list belongs to the measure's wording, not to an item.
            segments.append((current, "".join(buffer)))
            buffer, current = [], _PARAGRAPH
            i += 3
            continue
        char = raw[i]
        at_word_start = i == 0 or raw[i - 1].isspace() or raw[i - 1] == ">"
        next_is_space = i + 1 < len(raw) and raw[i + 1] == " "
        is_marker = False
        if char in _ALWAYS:
            is_marker = True
        elif char in _LIST_ONLY and at_word_start and next_is_space:
            is_marker = after_ul or char in active_list_markers
        elif char == "o" and at_word_start and next_is_space:
            is_marker = True
        if is_marker:
            segments.append((current, "".join(buffer)))
            buffer = []
            current = char
            if char in _LIST_ONLY:
                active_list_markers.add(char)
            after_ul = False
            i += 1
            continue
        if not char.isspace() and char != "<":
            after_ul = False
        buffer.append(char)
        i += 1
    segments.append((current, "".join(buffer)))
    return segments


def split_measure_text(raw: str) -> tuple[str, str, list[ParsedStep], list[tuple[str, str]]]:
    """Return (title, full text, nested steps, hyphenation joins) of a Maßnahmen cell.

    Nesting follows the markers: a marker not seen yet opens a deeper level under the
    previous item; a marker seen before closes the levels opened after it.
    """
    joins: list[tuple[str, str]] = []
    full, full_joins = clean_cell(_UL.sub(" ", raw))
    joins.extend(full_joins)
    segments = _tokenise(raw)
    title = ""
    roots: list[ParsedStep] = []
    stack: list[tuple[str, ParsedStep]] = []  # (marker, step) per open level
    for marker, segment in segments:
        text, _ = clean_cell(segment)
        if marker is None:
            title = text
            continue
        if marker == _PARAGRAPH:
            stack = []
            continue
        if not text:
            continue
        step = ParsedStep(text=text)
        levels = [m for m, _ in stack]
        if marker in levels:
            del stack[levels.index(marker) :]
        if stack:
            stack[-1][1].children.append(step)
        else:
            roots.append(step)
        stack.append((marker, step))
    if not title and not roots:
        title = full
    elif not title and roots:
        # A row that holds only a sub-item ("○ Mobilitätslösungen"): its wording is the item.
        title = normalise_space(" ".join(step.text for step in roots)) if len(roots) == 1 else ""
        if len(roots) == 1 and not roots[0].children:
            roots = []
    return title, full, roots, joins
