"""The typed intermediate structure every document importer produces and the plan service writes.

Plain dataclasses, no Django: a parser for another document format only has to fill these.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ParsedOrganisation:
    """An organisation from the document's glossaries (or met only in a table)."""

    abbreviation: str  # unique within the plan, e.g. "AfS", "EB RD/BS", "Kommunen"
    name: str  # full name, e.g. "Amt für Straßenbau"; equals abbreviation when unknown
    kind: str  # "office" (Amt des Landratsamtes) | "municipality" | "partner"
    in_glossary: bool  # False: met only in a table cell, not explained by the document
    line: int | None = None  # source line of the glossary entry
    aliases: list[str] = field(default_factory=list)  # spellings that resolve to it ("Afs")


@dataclass
class ParsedNode:
    """A node of the plan hierarchy (level 1 = Handlungsfeld ... level 4 = Handlungsansatz)."""

    level: int
    key: str  # stable path key within the plan, e.g. "1", "1.3", "1.3/2", "1.3/2/3"
    code: str  # display code: "1", "1.3", "1.3.2", "1.3.2.3"
    label: str  # short label as used in the tables (hyphenation joined)
    text: str = ""  # long text (Leitziel title, Teilziel sentence)
    pages: str = ""  # page reference as printed, e.g. "Seite 7 - 9"
    colour: str = ""  # fields only: "blue" | "red" | "green"
    line: int | None = None
    parent_key: str | None = None
    aliases: list[str] = field(default_factory=list)  # other labels printed for this node


@dataclass
class ParsedStep:
    """A sub-item (○, •, –, ✓, o) of a measure text, nested as printed."""

    text: str
    children: list[ParsedStep] = field(default_factory=list)


@dataclass
class ParsedPlacement:
    """One occurrence of one measure number in a table row of the document."""

    number: str  # normalised measure number, e.g. "2-84"
    order: int  # position in document order (0-based, unique)
    line: int  # source line of the row (of the number where a continuation row added it)
    field_number: int  # the Handlungsfeld whose Leitziel section holds the table
    goal_code: str  # e.g. "2.3"
    node_key: str  # key of the deepest ParsedNode the row sits under
    subgoal_label: str  # Teilziel cell as printed (hyphenation joined)
    approach_label: str  # Handlungsansatz cell as printed (hyphenation joined)
    number_cell: str  # the Nr. cell as printed, e.g. "I-33 SV 1.2"
    title: str  # the measure's wording in this row without its sub-items
    text: str  # the whole Maßnahmen cell, HTML removed, whitespace normalised
    steps: list[ParsedStep]
    lead: str  # Ansprechpartner as printed (whitespace normalised, hyphenation joined)
    participants: str  # Beteiligte as printed
    priority: str  # as printed: "+", "++", "+++", "+++ / ++" or ""
    lead_organisations: list[str]  # resolved abbreviations, in printed order
    participant_organisations: list[str]
    key_projects: list[str]  # normalised, e.g. ["SV I.1", "SV I.3"]
    commission: bool  # "*" in the wording: from the Kommission's final report
    parent_order: int | None = None  # numberless building-block row: order of its measure's row


@dataclass
class ParsedMeasure:
    """A measure, identified by its number within the plan."""

    number: str
    home_field: int  # from the number's prefix
    title: str  # wording of its first placement in its home field (else its first placement)
    commission: bool


@dataclass
class ParsedKeyProject:
    """A Schlüsselvorhaben reference code, e.g. "SV I.2" (field I, project 2)."""

    code: str
    field_number: int


@dataclass
class Normalisation:
    """One change the importer made to what the document prints, for the import report."""

    line: int
    kind: str  # e.g. "number-typo", "key-project", "alias", "hyphenation", "combined-number"
    original: str
    result: str
    note: str = ""


@dataclass
class ParsedPlan:
    """Everything an importer read from one document."""

    slug: str
    title: str
    level_names: list[str]  # e.g. ["Handlungsfeld", "Leitziel", "Teilziel", "Handlungsansatz"]
    organisations: list[ParsedOrganisation]
    nodes: list[ParsedNode]
    measures: list[ParsedMeasure]
    placements: list[ParsedPlacement]
    key_projects: list[ParsedKeyProject]
    normalisations: list[Normalisation] = field(default_factory=list)
    unresolved: list[tuple[int, str]] = field(default_factory=list)  # (line, abbreviation)
    source_lines: int = 0
    source_sha256: str = ""


class DocumentError(Exception):
    """The document cannot be imported; the message is German and names the line."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        super().__init__(f"Zeile {line}: {message}" if line else message)
