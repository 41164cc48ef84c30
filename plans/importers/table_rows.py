"""One table row of the text export: find its Nr. cell and align the other cells around it.

The export shifts cells (lost leading tabs, extra empty cells), so cells are not taken by
position alone: the Nr. cell is recognised by its content, the labels stand before it, and
Maßnahmen | Ansprechpartner | Beteiligte | Priorität after it (right-aligned on a priority).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .numbers import NumberCell, is_priority, parse_number_cell
from .structure import DocumentError


@dataclass
class TableRow:
    """The cells of one row, aligned."""

    line: int
    labels: list[str]  # cells before the Nr. cell (Teilziel, Handlungsansatz), raw
    number_raw: str = ""
    number: NumberCell | None = None
    text: str = ""
    lead: str = ""
    participants: str = ""
    priority: str = ""
    trailing: list[str] = field(default_factory=list)

    @property
    def has_content(self) -> bool:
        """True if the row has wording, lead, participants or priority."""
        return any(c.strip() for c in (self.text, self.lead, self.participants, self.priority))


def _strip_trailing(cells: list[str]) -> list[str]:
    while cells and not cells[-1].strip():
        cells = cells[:-1]
    return cells


def split_row(raw: str, line: int, leading: int) -> TableRow:
    """Align the tab-separated cells of one table row."""
    cells = raw.split("\t")
    number_at = None
    for position, cell in enumerate(cells):
        parsed = parse_number_cell(cell)
        if parsed is not None:
            number_at = position
            break
    if number_at is None:
        return _numberless_row(cells, line, leading)
    # Adjacent SV-only cells belong to the Nr. cell ("SV II.2 | 2-6").
    end = number_at + 1
    while end < len(cells):
        nxt = parse_number_cell(cells[end])
        if nxt is None:
            break
        end += 1
    number_raw = " ".join(c.strip() for c in cells[number_at:end] if c.strip())
    number = parse_number_cell(number_raw)
    labels = cells[:number_at]
    if leading and labels and not labels[0].strip() and len(labels) > leading:
        labels = labels[leading:]
    row = TableRow(line=line, labels=labels, number_raw=number_raw, number=number)
    _assign_content(row, cells[end:])
    return row


def _numberless_row(cells: list[str], line: int, leading: int) -> TableRow:
    """A row without Nr.: a building block, a continuation or a lone label."""
    content = cells[leading:] if not any(c.strip() for c in cells[:leading]) else cells
    filled = [i for i, c in enumerate(content) if c.strip()]
    if not filled:
        return TableRow(line=line, labels=[])
    if len(filled) == 1 and filled[0] <= 1 and not is_priority(content[filled[0]]):
        return TableRow(line=line, labels=content[:2])  # a label alone on its line
    # Standard columns: Teilziel, Handlungsansatz, Nr., Maßnahmen, … -> content after Nr.
    row = TableRow(line=line, labels=content[:2])
    _assign_content(row, content[3:] if len(content) > 3 else [])
    if any(c.strip() for c in content[:3][2:]):
        raise DocumentError(
            f"Die Nr.-Spalte enthält keine Maßnahmennummer: „{content[2].strip()[:40]}“.", line
        )
    return row


def _assign_content(row: TableRow, post: list[str]) -> None:
    post = _strip_trailing(list(post))
    if not post:
        return
    if is_priority(post[-1]):
        row.priority = post[-1].strip()
        rest = post[:-1]
        if len(rest) > 3 and any(c.strip() for c in rest[:-3]):
            raise DocumentError(
                f"Zu viele Spalten in der Tabellenzeile ({len(post)} nach der Nr.-Spalte; "
                "erwartet: Maßnahmen, Ansprechpartner, Beteiligte, Priorität).",
                row.line,
            )
        rest = ([""] * 3 + rest)[-3:]
        row.text, row.lead, row.participants = rest
        return
    if len(post) > 3:
        raise DocumentError(
            f"Unerwarteter Inhalt in der Spalte Priorität: „{post[-1].strip()[:40]}“ "
            "(erwartet +, ++ oder +++).",
            row.line,
        )
    post = (post + [""] * 3)[:3]
    row.text, row.lead, row.participants = post
