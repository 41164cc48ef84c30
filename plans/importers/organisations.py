"""Organisations: the document's glossaries and resolving lead/participant cells to them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .structure import ParsedOrganisation

_GLOSSARY_ENTRY = re.compile(r"^(?P<name>.+?)\s*\((?P<abbr>[^()]+)\)\s*$")
_ABBREVIATION_LIKE = re.compile(r"^[A-ZÄÖÜ][A-Za-zÄÖÜäöü'’]{0,5}$")
_FILLERS = {"u.a.", "u. a.", "usw.", "etc.", "etc", "usw", "u.a", "sowie", "und"}
_NOT_ABBREVIATIONS = {"GmbH", "KG", "AG", "SGB"}  # legal forms and law codes
_FILLERS_BARE = {"usw", "etc", "u.a"}
MUNICIPALITY_NAMES = {"Kommune", "Kommunen"}


def parse_glossary_entry(line: str) -> tuple[str, str] | None:
    """Split "Amt für Straßenbau (AfS)" into (name, abbreviation)."""
    match = _GLOSSARY_ENTRY.match(line.strip())
    if not match:
        return None
    return match.group("name").strip(), match.group("abbr").strip()


def looks_like_abbreviation(token: str) -> bool:
    """A short token with at least two capitals ("MDV", "JuHiS", "IHK") reads as abbreviation."""
    if token in _NOT_ABBREVIATIONS:
        return False
    return bool(_ABBREVIATION_LIKE.match(token)) and sum(c.isupper() for c in token) >= 2


@dataclass
class OrganisationDirectory:
    """All organisations of a plan and how printed names resolve to them."""

    aliases: dict[str, str]  # printed spelling -> abbreviation (from the import profile)
    organisations: dict[str, ParsedOrganisation] = field(default_factory=dict)
    _lower: dict[str, str] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = None

    def add_glossary(self, name: str, abbreviation: str, kind: str, line: int) -> None:
        """Register a glossary entry."""
        self.organisations[abbreviation] = ParsedOrganisation(
            abbreviation=abbreviation, name=name, kind=kind, in_glossary=True, line=line
        )
        self._lower[abbreviation.lower()] = abbreviation
        self._pattern = None

    def add_known(self, abbreviation: str, name: str, kind: str) -> None:
        """Register an organisation the glossary does not explain but the profile knows."""
        self.organisations.setdefault(
            abbreviation,
            ParsedOrganisation(abbreviation=abbreviation, name=name, kind=kind, in_glossary=False),
        )
        self._lower[abbreviation.lower()] = abbreviation
        self._pattern = None

    def _known_pattern(self) -> re.Pattern[str]:
        """One pattern for every known spelling, longest first ("EB RD/BS" before "EB")."""
        if self._pattern is None:
            spellings = sorted({*self._lower.values(), *self.aliases}, key=len, reverse=True)
            # Case-insensitive from three letters on: "Afs" is AfS, but "ja" is not JA.
            alternatives = [
                f"(?i:{re.escape(s)})" if len(s) >= 3 else re.escape(s) for s in spellings
            ]
            self._pattern = re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")
        return self._pattern

    def resolve(self, cell: str) -> tuple[list[str], list[tuple[str, str, str]]]:
        """Resolve a printed cell to organisation abbreviations, in printed order.

        Known names (glossary, profile, aliases) are cut out first; what is left between
        separators is one name each. Unknown names become organisations of their own.
        Returns the abbreviations and the alias resolutions made, as (kind, printed, result).
        """
        changes: list[tuple[str, str, str]] = []
        text = re.sub(r"\([^()]*\)", " ", cell)  # qualifiers: "LuK (ÖPNV)"
        known: dict[str, str] = {}  # placeholder -> the spelling as printed

        def protect(match: re.Match[str]) -> str:
            placeholder = f"\x00{len(known)}\x00"
            known[placeholder] = match.group(0)
            return f" {placeholder} "

        text = self._known_pattern().sub(protect, text)
        result: list[str] = []
        for chunk in self._chunks(text, known):
            for token in self._tokens(chunk, known):
                abbreviation = self._lookup(token, changes)
                if abbreviation not in result:
                    result.append(abbreviation)
        return result, changes

    @staticmethod
    def _chunks(text: str, known: dict[str, str]) -> list[str]:
        """Split at , ; and " - "; at "/" only between known or abbreviation-like names."""
        chunks: list[str] = []
        for part in re.split(r"[,;]|\s-\s", text):
            pieces = part.split("/")
            current = pieces[0]
            for piece in pieces[1:]:
                left = current.split()[-1] if current.split() else ""
                right = piece.split()[0] if piece.split() else ""

                def is_name(word: str) -> bool:
                    return word in known or looks_like_abbreviation(word)

                if is_name(left) or is_name(right):
                    chunks.append(current)
                    current = piece
                else:
                    current = f"{current}/{piece}"
            chunks.append(current)
        return chunks

    @staticmethod
    def _tokens(chunk: str, known: dict[str, str]) -> list[str]:
        """Known names stand alone; the words between them form one name ("AfS Kommunen")."""
        tokens: list[str] = []
        phrase: list[str] = []

        def flush() -> None:
            words = list(phrase)
            while words and words[0].lower() in _FILLERS:
                words.pop(0)
            while words and words[-1].lower().rstrip(".") in _FILLERS_BARE:
                words.pop()
            name = " ".join(words).strip(" .:/")
            if name and name.lower() not in _FILLERS:
                if all(looks_like_abbreviation(w) for w in words):
                    tokens.extend(words)  # "MDV ZVNL": two abbreviations side by side
                else:
                    tokens.append(name)
            phrase.clear()

        for word in chunk.split():
            if word in known:
                flush()
                tokens.append(known[word])
            else:
                phrase.append(word)
        flush()
        return tokens

    def _lookup(self, token: str, changes: list[tuple[str, str, str]]) -> str:
        if token in self.organisations and self.organisations[token].in_glossary:
            return token
        if token in self.aliases:
            target = self.aliases[token]
            changes.append(("alias", token, target))
            self._remember_alias(target, token)
            return target
        folded = self._lower.get(token.lower())
        if folded and folded != token:
            changes.append(("alias", token, folded))
            self._remember_alias(folded, token)
            return folded
        if token not in self.organisations:
            kind = "municipality" if token in MUNICIPALITY_NAMES else "partner"
            self.organisations[token] = ParsedOrganisation(
                abbreviation=token, name=token, kind=kind, in_glossary=False
            )
        return token

    def _remember_alias(self, abbreviation: str, alias: str) -> None:
        organisation = self.organisations.get(abbreviation)
        if organisation is None:
            kind = "municipality" if abbreviation in MUNICIPALITY_NAMES else "partner"
            organisation = ParsedOrganisation(
                abbreviation=abbreviation, name=abbreviation, kind=kind, in_glossary=False
            )
            self.organisations[abbreviation] = organisation
        if alias not in organisation.aliases:
            organisation.aliases.append(alias)
