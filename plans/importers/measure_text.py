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


_CANDIDATE = re.compile(r"<ul\b[^>]*>|<p>|[○•▪✓]|(?:(?<=\s)|(?<=>)|^)[–\-o](?= )", re.IGNORECASE)


def _starts_with_marker(rest: str) -> bool:
    return bool(rest) and (rest[0] in _ALWAYS or (rest[0] in _LIST_ONLY + "o" and rest[1:2] == " "))


def _tokenise(raw: str) -> list[tuple[str | None, str]]:
    """Split a raw cell into (marker, text) segments; marker None for running text."""
    segments: list[tuple[str | None, str]] = []
    current: str | None = None
    start = 0  # start of the current segment's text (HTML tags are removed later)
    active_list_markers: set[str] = set()
    ul_end: int | None = None  # end of the last <ul> tag, while only blanks follow it

    def close(at: int) -> None:
        segments.append((current, raw[start:at]))

    for match in _CANDIDATE.finditer(raw):
        token = match.group(0)
        if ul_end is not None and raw[ul_end : match.start()].strip():
            ul_end = None
        if token.lower().startswith("<ul"):
            rest = raw[match.end() :].lstrip()
            if rest and not _starts_with_marker(rest) and not rest.startswith("<"):
                # A list whose item markers the PDF export lost: keep it as one item.
                close(match.start())
                current, start, ul_end = _UNMARKED, match.end(), None
            else:
                ul_end = match.end()
            continue
        if token.lower() == "<p>":
            if current is not None or any(m is not None for m, _ in segments):
                # A paragraph after the list belongs to the measure's wording, not to an item.
                close(match.start())
                current, start = _PARAGRAPH, match.end()
            continue
        if token in _LIST_ONLY and ul_end is None and token not in active_list_markers:
            continue  # a dash in running text
        close(match.start())
        current, start, ul_end = token, match.end(), None
        if token in _LIST_ONLY:
            active_list_markers.add(token)
    close(len(raw))
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
