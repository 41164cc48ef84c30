"""Text clean-up shared by the importers: HTML fragments, PDF hyphenation, whitespace."""

from __future__ import annotations

import html
import re
import unicodedata

_WS = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>")
# "Gewerbe- flächen" (a word split by the PDF line break) but not "Aus- und Weiterbildung".
_HYPHENATION = re.compile(r"(?<=[a-zäöüß])- (?=([a-zäöüß][\w.]*))")
_KEEP_AFTER_HYPHEN = {"und", "oder", "bzw", "bzw.", "sowie", "bis", "u.", "noch", "als", "statt"}


def normalise_space(text: str) -> str:
    """Collapse runs of whitespace (incl. non-breaking spaces) into one space and trim."""
    return _WS.sub(" ", text.replace("\u00a0", " ")).strip()


def join_hyphenation(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Join words the PDF split at a line end ("Ansprech- partner" -> "Ansprechpartner").

    Returns the text and the list of (original, joined) fragments for the import report.
    """
    joined: list[tuple[str, str]] = []

    def replace(match: re.Match[str]) -> str:
        if match.group(1).lower() in _KEEP_AFTER_HYPHEN:
            return match.group(0)
        start = text.rfind(" ", 0, match.start()) + 1
        word_end = match.end() + len(match.group(1))
        joined.append((text[start:word_end], text[start : match.start()] + match.group(1)))
        return ""

    return _HYPHENATION.sub(replace, text), joined


def strip_html(text: str, paragraph_separator: str = " ") -> str:
    """Remove HTML fragments exported from the PDF; paragraphs become the separator."""
    text = re.sub(r"</p>\s*<p>", paragraph_separator, text)
    return html.unescape(_TAG.sub(" ", text))


def clean_cell(text: str, paragraph_separator: str = " ") -> tuple[str, list[tuple[str, str]]]:
    """HTML removed, hyphenation joined, whitespace normalised; with the hyphenation joins."""
    text = normalise_space(strip_html(text, paragraph_separator))
    text, joins = join_hyphenation(text)
    return normalise_space(text), joins


def fold(text: str) -> str:
    """Fold a German text for matching: lower case, umlauts and ß spelt out, no accents."""
    text = text.lower()
    for char, repl in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(char, repl)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


_STOP = {
    "und",
    "der",
    "die",
    "das",
    "den",
    "dem",
    "des",
    "zu",
    "zur",
    "zum",
    "in",
    "im",
    "von",
    "vom",
    "mit",
    "fuer",
    "auf",
    "an",
    "am",
    "als",
    "sowie",
    "einer",
    "eine",
    "ein",
    "hin",
    "aus",
    "bei",
    "beim",
    "werden",
    "wird",
    "ist",
    "sind",
    "landkreis",
}


def match_tokens(text: str) -> set[str]:
    """Significant word stems of a label (first six folded letters) for fuzzy matching."""
    words = re.findall(r"[a-z0-9]+", fold(text))
    return {word[:6] for word in words if word not in _STOP and len(word) > 1}
