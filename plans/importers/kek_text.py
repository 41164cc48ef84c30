"""Parser for the text export of a KEK "Maßnahmenkonzept" (KEK 2030 of Landkreis Leipzig).

parse_document(text) -> ParsedPlan. Plain Python, no Django: the plan service writes the result.
Every normalisation is recorded in ParsedPlan.normalisations with its source line.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .organisations import OrganisationDirectory, parse_glossary_entry
from .rows_to_placements import add_row, build_plan, new_table_state
from .structure import DocumentError, Normalisation, ParsedPlacement, ParsedPlan
from .table_rows import TableRow, split_row
from .text_cleaning import fold, normalise_space


@dataclass
class ImportProfile:
    """What is specific to one plan document rather than to the format."""

    title: str = "Kreisentwicklungskonzept KEK 2030 – Landkreis Leipzig"
    level_names: list[str] = field(
        default_factory=lambda: ["Handlungsfeld", "Leitziel", "Teilziel", "Handlungsansatz"]
    )
    # Spellings in the tables that mean a glossary entry (case-only variants resolve by
    # themselves and are reported too).
    aliases: dict[str, str] = field(
        default_factory=lambda: {
            "KE BK": "EB BK",  # "kommunaler Eigenbetrieb Bildung und Kultur"
            "UA": "UWA",
            "ZV NL": "ZVNL",
            "TV NL": "TV LN",
            "LAG'n": "LAG",
            "Kommune": "Kommunen",
            "Kommunnen": "Kommunen",  # "Kommun- nen", a hyphenation slip of the PDF
            "alle Ämter": "Alle Ämter",
        }
    )
    # Names the tables use for organisations the glossaries do not list.
    known_organisations: dict[str, tuple[str, str]] = field(
        default_factory=lambda: {
            "Kommunen": ("Kommunen (Städte und Gemeinden des Landkreises)", "municipality"),
            "Alle Ämter": ("Alle Ämter des Landratsamtes", "office"),
        }
    )
    # The document's last line; a file that ends before it was cut off.
    closing_line: str = (
        r"Abschlussbericht Kommission für Wachstum, Strukturwandel und Beschäftigung"
    )
    # Glossary entries that explain a term, not an organisation.
    not_organisations: set[str] = field(default_factory=lambda: {"HF"})


COLOURS = {"blau": "blue", "rot": "red", "grün": "green", "gruen": "green"}
_LEGEND = re.compile(r"^Maßnahmen in (\w+)er Schrift\s*=\s*Handlungsfeld\s*„(.+?)“\s*$")
_GOAL_HEADING = re.compile(
    r"^(?:(?P<a>\d\.\d)\s+Leitziel\s*:|Leitziel\s+(?P<b>\d\.\d)\s*:)\s*(?P<title>.+)$"
)
_GOAL_TABLE_ROW = re.compile(r"^\|\s*(\d\.\d)\s*\|\s*(.+?)\s*\|\s*(Seite[^|]*)\|\s*$")
_GOAL_BULLET = re.compile(r"^-\s*(\d\.\d)\s+(.+?)\s+(Seite\s+\d+(?:\s*-\s*\d+)?)\s*$")
_PAGES = re.compile(r"\s*(Seite\s+\d+(?:\s*-\s*\d+)?)\s*$")
_FOOTNOTE = re.compile(r"^\**\s*Abschlussbericht Kommission", re.IGNORECASE)
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f]")


def is_table_header(line: str) -> bool:
    """A table header row: Teilziel | Handlungsansatz | Nr. | Maßnahmen | …"""
    cells = [normalise_space(c) for c in line.split("\t")]
    return "Teilziel" in cells and "Nr." in cells and "Maßnahmen" in cells


@dataclass
class _Goal:
    code: str
    field_number: int
    label: str = ""
    text: str = ""
    pages: str = ""
    line: int | None = None
    bullets: list[dict] = field(default_factory=list)  # text, pages, bold, line, tabs
    tab_sequences: list[list[str]] = field(default_factory=list)
    table_lines: int = 0


class _Parser:
    def __init__(
        self,
        text: str,
        slug: str,
        profile: ImportProfile,
        progress: Callable[[int, int], None] | None,
    ):
        self.lines = text.split("\n")
        self.slug = slug
        self.profile = profile
        self.progress = progress
        self.notes: list[Normalisation] = []
        self.directory = OrganisationDirectory(aliases=dict(profile.aliases))
        self.fields: dict[int, dict] = {}  # number -> name, colour, line
        self.fields_by_legend: dict[str, tuple[str, str, int]] = {}  # folded name -> legend
        self.goals: dict[str, _Goal] = {}
        self.placements: list[ParsedPlacement] = []
        self.unresolved: list[tuple[int, str]] = []
        self.current_field: int | None = None
        self.current_goal: _Goal | None = None
        self.table_states: dict[str, dict] = {}  # per goal: labels carried down the rows

    # -- helpers -------------------------------------------------------------------------
    def note(self, line: int, kind: str, original: str, result: str, text: str = "") -> None:
        self.notes.append(Normalisation(line, kind, original, result, text))

    def line(self, index: int) -> str:
        return self.lines[index].rstrip("\r")

    def next_nonblank(self, index: int) -> int:
        while index < len(self.lines) and not self.line(index).strip():
            index += 1
        return index

    # -- document -------------------------------------------------------------------------
    def parse(self) -> ParsedPlan:
        self.check_plain_text()
        index = self.parse_glossaries()
        self.check_closing_line()
        index = self.parse_legend(index)
        total = len(self.lines)
        while index < total:
            if self.progress:
                self.progress(index, total)
            index = self.parse_block(index)
        if self.progress:
            self.progress(total, total)
        return self.finish()

    def check_plain_text(self) -> None:
        if not self.lines or not "".join(self.lines).strip():
            raise DocumentError("Die Datei ist leer.")
        for number, line in enumerate(self.lines, start=1):
            if _BINARY.search(line):
                raise DocumentError(
                    "Die Datei enthält Binärdaten; erwartet wird der Text des "
                    "Maßnahmenkonzepts (UTF-8).",
                    number,
                )

    def check_closing_line(self) -> None:
        last = max(i for i, line in enumerate(self.lines) if line.strip())
        if not re.search(self.profile.closing_line, self.line(last)):
            raise DocumentError(
                "Das Dokument ist unvollständig: es endet nicht mit der Schlusszeile "
                f"„{self.profile.closing_line}“ (Datei abgeschnitten?).",
                last + 1,
            )

    def parse_glossaries(self) -> int:
        index = 0
        while index < len(self.lines) and not self.line(index).startswith("Abkürzung der Ämter"):
            index += 1
        if index == len(self.lines):
            raise DocumentError(
                "Das ist kein Maßnahmenkonzept: das Abkürzungsverzeichnis der Ämter "
                "(„Abkürzung der Ämter …“) fehlt."
            )
        kind = "office"
        index += 1
        while index < len(self.lines):
            text = self.line(index).strip()
            if text.startswith("Erläuterung zur Gestaltung"):
                for abbreviation, (name, kind) in self.profile.known_organisations.items():
                    self.directory.add_known(abbreviation, name, kind)
                return index
            if text.startswith("Weitere Abkürzungen"):
                kind = "partner"
            elif text:
                entry = parse_glossary_entry(text)
                if entry is None:
                    raise DocumentError(
                        f"Im Abkürzungsverzeichnis wird „Name (Abkürzung)“ erwartet, "
                        f"gefunden: „{text[:80]}“.",
                        index + 1,
                    )
                name, abbreviation = entry
                if abbreviation in self.profile.not_organisations:
                    self.note(
                        index + 1,
                        "glossary-term",
                        text,
                        "",
                        "Begriff, keine Organisation – nicht als Organisation angelegt",
                    )
                else:
                    self.directory.add_glossary(name, abbreviation, kind, index + 1)
            index += 1
        raise DocumentError("Die „Erläuterung zur Gestaltung“ nach den Abkürzungen fehlt.")

    def parse_legend(self, index: int) -> int:
        index += 1
        while index < len(self.lines):
            text = self.line(index).strip()
            match = _LEGEND.match(text)
            if match:
                colour = COLOURS.get(fold(match.group(1)), COLOURS.get(match.group(1), ""))
                self.fields_by_legend[fold(match.group(2))] = (match.group(2), colour, index + 1)
            elif self.is_field_heading(index):
                break
            index += 1
        if not self.fields_by_legend:
            raise DocumentError("Die Legende der Handlungsfelder (Schriftfarben) fehlt.")
        return index

    def is_field_heading(self, index: int) -> bool:
        text = fold(normalise_space(self.line(index)))
        if text not in self.fields_by_legend:
            return False
        following = self.next_nonblank(index + 1)
        return following < len(self.lines) and self.line(following).strip() == "Leitziele:"

    def parse_block(self, index: int) -> int:
        raw = self.line(index)
        text = raw.strip()
        if not text:
            return index + 1
        if self.is_field_heading(index):
            return self.start_field(index)
        heading = _GOAL_HEADING.match(text)
        if heading:
            return self.start_goal(index, heading)
        if text == "Teilziele:":
            return self.parse_subgoal_bullets(index)
        if is_table_header(raw):
            return self.parse_table(index)
        return self.parse_page_header(index)

    def start_field(self, index: int) -> int:
        name, colour, _legend_line = self.fields_by_legend[fold(normalise_space(self.line(index)))]
        number = len(self.fields) + 1
        self.fields[number] = {
            "name": name,
            "colour": colour,
            "line": index + 1,
            "printed": normalise_space(self.line(index)),
        }
        self.current_field = number
        self.current_goal = None
        index = self.next_nonblank(index + 1) + 1  # "Leitziele:"
        while index < len(self.lines):
            text = self.line(index).strip()
            if not text or text.startswith("- | |") or re.match(r"^\|[-| ]+\|$", text):
                index += 1
                continue
            match = _GOAL_TABLE_ROW.match(text) or _GOAL_BULLET.match(text)
            if not match:
                break
            code = match.group(1)
            if int(code[0]) != number:
                raise DocumentError(
                    f"Leitziel {code} steht im Handlungsfeld {number} ({name}).", index + 1
                )
            goal = self.goals.setdefault(code, _Goal(code=code, field_number=number))
            goal.label = normalise_space(match.group(2).replace("**", ""))
            goal.pages = normalise_space(match.group(3).strip(" |"))
            goal.line = index + 1
            index += 1
        return index

    def start_goal(self, index: int, heading: re.Match[str]) -> int:
        code = heading.group("a") or heading.group("b")
        if self.current_field is None or int(code[0]) != self.current_field:
            raise DocumentError(
                f"Leitziel {code} steht außerhalb seines Handlungsfeldes.", index + 1
            )
        goal = self.goals.setdefault(code, _Goal(code=code, field_number=self.current_field))
        goal.text = normalise_space(heading.group("title").replace("**", ""))
        if not goal.label:
            goal.label = goal.text
            goal.line = index + 1
        self.current_goal = goal
        return index + 1

    def parse_subgoal_bullets(self, index: int) -> int:
        goal = self.require_goal(index)
        index += 1
        while index < len(self.lines):
            text = self.line(index).strip()
            if not text:
                index += 1
                continue
            if not text.startswith("- "):
                break
            body = text[2:].strip()
            pages = ""
            match = _PAGES.search(body)
            if match:
                pages = normalise_space(match.group(1))
                body = body[: match.start()].strip()
            bold = [normalise_space(b) for b in re.findall(r"\*\*(.+?)\*\*", body)]
            goal.bullets.append(
                {
                    "text": normalise_space(body.replace("**", "")),
                    "pages": pages,
                    "bold": bold,
                    "line": index + 1,
                    "tabs": [],
                }
            )
            index += 1
        return index

    def require_goal(self, index: int) -> _Goal:
        if self.current_goal is None:
            raise DocumentError("Tabelle oder Teilziele ohne vorangehendes Leitziel.", index + 1)
        return self.current_goal

    def parse_page_header(self, index: int) -> int:
        """Skip the repeated page header (tab labels, field name, footnote), and report it."""
        start = index
        labels: list[str] = []
        block: list[str] = []
        while index < len(self.lines):
            raw = self.line(index)
            text = raw.strip()
            if (
                self.is_field_heading(index)
                or _GOAL_HEADING.match(text)
                or text == "Teilziele:"
                or is_table_header(raw)
            ):
                break
            if not text:
                if block:
                    labels.append(normalise_space(" ".join(block)).replace("**", ""))
                    block = []
                index += 1
                continue
            if "\t" in raw and raw.strip("\t ").count("\t") >= 2:
                raise DocumentError(
                    "Tabellenzeile ohne Tabellenkopf (Teilziel | Handlungsansatz | Nr. | …).",
                    index + 1,
                )
            block.append(text)
            index += 1
        if block:
            labels.append(normalise_space(" ".join(block)).replace("**", ""))
        field_folded = {fold(f["printed"]) for f in self.fields.values()}
        tabs: list[str] = []
        for label in labels:
            folded = fold(label)
            if folded in field_folded or folded in self.fields_by_legend:
                continue
            if _FOOTNOTE.match(label):
                continue
            # "STARKER WIRTSCHAFTSSTANDORT" and "L(i)ebenswerte Orte" repeat on each page.
            if any(folded == fold(f["name"]) for f in self.fields.values()):
                continue
            tabs.append(label)
        if self.current_goal is None and tabs:
            raise DocumentError(f"Unerwarteter Text: „{tabs[0][:80]}“.", start + 1)
        if tabs and self.current_goal is not None:
            self.current_goal.tab_sequences.append(tabs)
        self.note(
            start + 1, "page-header", " | ".join(labels), "", "Seitenkopf/Fußnote übersprungen"
        )
        return index

    # -- tables ---------------------------------------------------------------------------
    def parse_table(self, index: int) -> int:
        goal = self.require_goal(index)
        header = self.line(index).split("\t")
        leading = [normalise_space(c) for c in header].index("Teilziel")
        if (
            any(fold(c).replace(" ", "") in ("ansprech-partner", "ansprechpartner") for c in header)
            is False
        ):
            self.note(
                index + 1,
                "header",
                "\t".join(header).strip(),
                "",
                "Tabellenkopf mit abweichender Schreibweise",
            )
        index += 1
        state = self.table_states.setdefault(goal.code, new_table_state())
        while index < len(self.lines) and self.line(index).strip():
            raw = self.line(index)
            if "\t" not in raw:
                raise DocumentError(
                    "Tabellenzeile ohne Spalten (Tabulatoren) – Spalten defekt?", index + 1
                )
            row = split_row(raw, index + 1, leading)
            self.add_row(goal, row, state)
            goal.table_lines += 1
            index += 1
        return index

    def add_row(self, goal: _Goal, row: TableRow, state: dict) -> None:
        add_row(self, goal, row, state)

    def finish(self) -> ParsedPlan:
        return build_plan(self)


def parse_document(
    text: str,
    slug: str = "kek-2030",
    profile: ImportProfile | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ParsedPlan:
    """Parse the text of a Maßnahmenkonzept into a ParsedPlan; DocumentError if impossible."""
    if text.startswith("\ufeff"):
        text = text[1:]
    parser = _Parser(text, slug, profile or ImportProfile(), progress)
    plan = parser.parse()
    plan.source_sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    plan.source_lines = len(text.split("\n"))
    return plan


__all__ = ["DocumentError", "ImportProfile", "is_table_header", "parse_document"]
