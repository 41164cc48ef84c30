"""Folding German text for search: the same function for the index and the query.

"Maßnahme" and "Massnahme", "ÖPNV" and "Oepnv" fold to the same letters, so either spelling
finds the other on SQLite (whose FTS5 does not fold ß) and PostgreSQL alike.
"""

from __future__ import annotations

import re
import unicodedata

_REPLACEMENTS = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"}
_WORD = re.compile(r"[0-9a-z]+")


def fold_with_positions(text: str) -> tuple[str, list[int]]:
    """Folded text and, for each folded character, the index of its source character."""
    folded: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        lower = char.lower()
        replacement = _REPLACEMENTS.get(lower)
        if replacement is None:
            decomposed = unicodedata.normalize("NFKD", lower)
            replacement = "".join(c for c in decomposed if not unicodedata.combining(c))
        folded.append(replacement)
        positions.extend([index] * len(replacement))
    return "".join(folded), positions


def fold(text: str) -> str:
    """Lower case, umlauts and ß spelt out, accents removed."""
    return fold_with_positions(text)[0]


def query_terms(query: str) -> list[str]:
    """The folded words of a search query, in order, without duplicates."""
    return list(dict.fromkeys(_WORD.findall(fold(query))))[:10]
