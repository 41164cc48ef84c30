"""Turn aligned table rows into placements, and the whole parse into a ParsedPlan."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .measure_text import has_commission_flag, split_measure_text
from .numbers import key_project_field, number_sort_key
from .organisations import looks_like_abbreviation
from .structure import (
    DocumentError,
    ParsedKeyProject,
    ParsedMeasure,
    ParsedNode,
    ParsedPlacement,
    ParsedPlan,
)
from .table_rows import TableRow
from .text_cleaning import clean_cell, fold, match_tokens

if TYPE_CHECKING:
    from .kek_text import _Goal, _Parser


def new_table_state() -> dict:
    """Labels and rows a goal's tables carry from one row to the next."""
    return {
        "subgoal": "",
        "approach": "",
        "approach_printed": False,
        "last_row": [],
        "last_numbered": None,
        "subgoals_seen": set(),
    }


def _clean(parser: _Parser, text: str, line: int, separator: str = " ") -> str:
    cleaned, joins = clean_cell(text, separator)
    for original, joined in joins:
        parser.note(line, "hyphenation", original, joined)
    return cleaned


def _is_subgoal_label(goal: _Goal, label: str, state: dict) -> bool:
    folded = fold(label)
    known = {fold(t) for seq in goal.tab_sequences for t in seq}
    known |= {fold(b) for bullet in goal.bullets for b in bullet["bold"]}
    known |= state["subgoals_seen"]
    return folded in known


def add_row(parser: _Parser, goal: _Goal, row: TableRow, state: dict) -> None:
    """Add the placements of one table row (or fold a continuation row into the previous)."""
    labels = [_clean(parser, label, row.line) for label in row.labels if label.strip()]
    if row.number is None and not row.has_content:
        if labels:
            _label_only_row(parser, labels, row, state)
        return
    if len(labels) > 2:
        raise DocumentError(
            f"Zu viele Spalten vor der Nr.-Spalte: {' | '.join(labels)[:80]}.", row.line
        )
    if len(labels) == 2:
        state["subgoal"], state["approach"] = labels
        state["approach_printed"] = True
    elif len(labels) == 1:
        if _is_subgoal_label(goal, labels[0], state):
            state["subgoal"], state["approach"] = labels[0], ""
        else:
            state["approach"] = labels[0]
        state["approach_printed"] = True
    else:
        state["approach_printed"] = False
    if not state["subgoal"]:
        raise DocumentError("Die erste Tabellenzeile des Leitziels nennt kein Teilziel.", row.line)
    state["subgoals_seen"].add(fold(state["subgoal"]))
    numbers = row.number.numbers if row.number else []
    key_projects = row.number.key_projects if row.number else []
    for kind, original, result in row.number.changes if row.number else []:
        parser.note(row.line, kind, original, result)
    last_row: list[ParsedPlacement] = state["last_row"]
    if numbers and not row.text.strip() and last_row:
        _continuation_numbers(parser, row, numbers, key_projects, state)
        return
    if numbers:
        state["last_row"] = [
            _placement(parser, goal, row, number, key_projects, state, None) for number in numbers
        ]
        state["last_numbered"] = state["last_row"][-1]
        return
    parent = state["last_numbered"]
    if not row.has_content:
        # "SV I.3" alone on a line: the reference continues the Nr. cell of the row above.
        if not last_row:
            raise DocumentError("SV-Bezug ohne Maßnahme darüber.", row.line)
        for placement in last_row:
            placement.key_projects.extend(
                k for k in key_projects if k not in placement.key_projects
            )
        parser.note(
            row.line,
            "continuation-row",
            row.number_raw,
            f"{', '.join(key_projects)} → {last_row[0].number} (Zeile {last_row[0].line})",
        )
        return
    if parent is None:
        raise DocumentError("Zeile ohne Maßnahmennummer und ohne Maßnahme darüber.", row.line)
    if row.lead.strip():
        # A building block of the measure above, with its own lead (2-84, 2-21).
        placement = _placement(parser, goal, row, parent.number, key_projects, state, parent.order)
        state["last_row"] = [placement]
        parser.note(
            row.line,
            "building-block",
            row.text.strip()[:60],
            parent.number,
            f"Zeile ohne Nr. mit eigenem Ansprechpartner: Baustein von {parent.number}",
        )
        return
    text = _clean(parser, row.text, row.line)
    for placement in last_row:
        placement.text = f"{placement.text} {text}".strip()
    parser.note(
        row.line,
        "continuation-row",
        text[:60],
        last_row[0].number,
        "Text ohne Nr. und ohne Ansprechpartner an die Zeile darüber angehängt",
    )


def _label_only_row(parser: _Parser, labels: list[str], row: TableRow, state: dict) -> None:
    last_row: list[ParsedPlacement] = state["last_row"]
    label = " ".join(labels)
    if not last_row:
        raise DocumentError(f"Beschriftung ohne Maßnahme: „{label[:60]}“.", row.line)
    if state["approach_printed"]:
        new = f"{state['approach']} {label}".strip()
        note = "Fortsetzung der Handlungsansatz-Zelle der Zeile darüber"
    else:
        new = label
        note = "Handlungsansatz der Zeile darüber steht eine Zeile tiefer"
    for placement in last_row:
        placement.approach_label = new
    state["approach"], state["approach_printed"] = new, True
    parser.note(row.line, "continuation-label", label, new, note)


def _continuation_numbers(
    parser: _Parser, row: TableRow, numbers: list[str], key_projects: list[str], state: dict
) -> None:
    """ "3-35 … HPA" under 3-34: the Nr. and lead cells of the row above continue here."""
    last_row: list[ParsedPlacement] = state["last_row"]
    first = last_row[0]
    extra_lead = _clean(parser, row.lead, row.line)
    extra_participants = _clean(parser, row.participants, row.line, "; ")
    for placement in last_row:
        placement.lead = " ".join(p for p in (placement.lead, extra_lead) if p)
        placement.participants = " ".join(
            p for p in (placement.participants, extra_participants) if p
        )
        placement.priority = placement.priority or row.priority.strip()
    added = []
    for number in numbers:
        added.append(
            ParsedPlacement(
                number=number,
                order=len(parser.placements),
                line=row.line,
                field_number=first.field_number,
                goal_code=first.goal_code,
                node_key="",
                subgoal_label=first.subgoal_label,
                approach_label=first.approach_label,
                number_cell=row.number_raw,
                title=first.title,
                text=first.text,
                steps=first.steps,
                lead=first.lead,
                participants=first.participants,
                priority=first.priority,
                lead_organisations=[],
                participant_organisations=[],
                key_projects=list(dict.fromkeys(first.key_projects + key_projects)),
                commission=first.commission,
            )
        )
        parser.placements.append(added[-1])
    for placement in last_row + added:
        placement.lead_organisations = _resolve(parser, placement.lead, row.line)
        placement.participant_organisations = _resolve(parser, placement.participants, row.line)
    parser.note(
        row.line,
        "continuation-row",
        f"{row.number_raw} | {row.lead.strip()}",
        f"{', '.join(numbers)} gehört zur Zeile {first.line} ({first.number}); "
        f"Ansprechpartner „{first.lead}“",
    )
    state["last_row"] = last_row + added
    state["last_numbered"] = added[-1]


def _resolve(parser: _Parser, cell: str, line: int) -> list[str]:
    abbreviations, changes = parser.directory.resolve(cell)
    for kind, original, result in changes:
        parser.note(line, kind, original, result)
    for abbreviation in abbreviations:
        organisation = parser.directory.organisations[abbreviation]
        unknown = not organisation.in_glossary and looks_like_abbreviation(abbreviation)
        if unknown and (line, abbreviation) not in parser.unresolved:
            parser.unresolved.append((line, abbreviation))
    return abbreviations


def _placement(
    parser: _Parser,
    goal: _Goal,
    row: TableRow,
    number: str,
    key_projects: list[str],
    state: dict,
    parent_order: int | None,
) -> ParsedPlacement:
    title, text, steps, joins = split_measure_text(row.text)
    for original, joined in joins:
        parser.note(row.line, "hyphenation", original, joined)
    lead = _clean(parser, row.lead, row.line, "; ")
    participants = _clean(parser, row.participants, row.line, "; ")
    placement = ParsedPlacement(
        number=number,
        order=len(parser.placements),
        line=row.line,
        field_number=goal.field_number,
        goal_code=goal.code,
        node_key="",
        subgoal_label=state["subgoal"],
        approach_label=state["approach"],
        number_cell=row.number_raw,
        title=title,
        text=text,
        steps=steps,
        lead=lead,
        participants=participants,
        priority=row.priority.strip(),
        lead_organisations=_resolve(parser, lead, row.line),
        participant_organisations=_resolve(parser, participants, row.line),
        key_projects=list(key_projects),
        commission=has_commission_flag(row.text),
        parent_order=parent_order,
    )
    parser.placements.append(placement)
    return placement


# -- the whole plan --------------------------------------------------------------------------
def build_plan(parser: _Parser) -> ParsedPlan:
    """Check completeness and assemble nodes, measures, key projects and organisations."""
    _check_complete(parser)
    nodes = _field_and_goal_nodes(parser)
    for code in sorted(parser.goals):
        nodes.extend(_subgoal_and_approach_nodes(parser, parser.goals[code]))
    measures = _measures(parser.placements)
    codes = list(dict.fromkeys(k for p in parser.placements for k in p.key_projects))
    key_projects = [
        ParsedKeyProject(code=c, field_number=key_project_field(c))
        for c in sorted(codes, key=lambda c: (key_project_field(c), int(c.split(".")[1])))
    ]
    return ParsedPlan(
        slug=parser.slug,
        title=parser.profile.title,
        level_names=list(parser.profile.level_names),
        organisations=list(parser.directory.organisations.values()),
        nodes=nodes,
        measures=measures,
        placements=parser.placements,
        key_projects=key_projects,
        normalisations=parser.notes,
        unresolved=parser.unresolved,
    )


def _check_complete(parser: _Parser) -> None:
    expected = len(parser.fields_by_legend)
    if len(parser.fields) != expected:
        raise DocumentError(
            f"Das Dokument ist unvollständig: {len(parser.fields)} von {expected} "
            "Handlungsfeldern gefunden (Datei abgeschnitten?).",
            len(parser.lines),
        )
    for code, goal in sorted(parser.goals.items()):
        if not goal.text:
            raise DocumentError(
                f"Das Dokument ist unvollständig: der Abschnitt zu Leitziel {code} fehlt.",
                len(parser.lines),
            )
        if goal.table_lines == 0:
            raise DocumentError(
                f"Das Dokument ist unvollständig: Leitziel {code} hat keine Maßnahmentabelle.",
                len(parser.lines),
            )


def _field_and_goal_nodes(parser: _Parser) -> list[ParsedNode]:
    nodes = []
    for number, info in sorted(parser.fields.items()):
        nodes.append(
            ParsedNode(
                level=1,
                key=str(number),
                code=str(number),
                label=info["name"],
                text=info["printed"],
                colour=info["colour"],
                line=info["line"],
            )
        )
        for code in sorted(c for c in parser.goals if int(c[0]) == number):
            goal = parser.goals[code]
            nodes.append(
                ParsedNode(
                    level=2,
                    key=code,
                    code=code,
                    label=goal.label,
                    text=goal.text,
                    pages=goal.pages,
                    line=goal.line,
                    parent_key=str(number),
                )
            )
    return nodes


def _subgoal_and_approach_nodes(parser: _Parser, goal: _Goal) -> list[ParsedNode]:
    """Teilziele from the "Teilziele:" list; the tables' labels are matched to them."""
    bullets = goal.bullets
    for sequence in goal.tab_sequences:
        if len(sequence) == len(bullets):
            for bullet, tab in zip(bullets, sequence, strict=True):
                if tab not in bullet["tabs"]:
                    bullet["tabs"].append(tab)
    subgoals: list[ParsedNode] = []
    for index, bullet in enumerate(bullets, start=1):
        label = bullet["tabs"][0] if bullet["tabs"] else (bullet["bold"] or [bullet["text"]])[0]
        subgoals.append(
            ParsedNode(
                level=3,
                key=f"{goal.code}.{index}",
                code=f"{goal.code}.{index}",
                label=label,
                text=bullet["text"],
                pages=bullet["pages"],
                line=bullet["line"],
                parent_key=goal.code,
                aliases=list(bullet["tabs"][1:]),
            )
        )
    labelled: set[str] = set()
    approaches: list[ParsedNode] = []
    by_label: dict[tuple[str, str], str] = {}
    for placement in (p for p in parser.placements if p.goal_code == goal.code):
        subgoal = _match_subgoal(goal, subgoals, placement, parser)
        if subgoal.key not in labelled:
            labelled.add(subgoal.key)
            if subgoal.label != placement.subgoal_label:
                subgoal.aliases = [a for a in subgoal.aliases if a != placement.subgoal_label]
                subgoal.aliases.insert(0, subgoal.label)
                subgoal.label = placement.subgoal_label
        elif placement.subgoal_label not in (subgoal.label, *subgoal.aliases):
            subgoal.aliases.append(placement.subgoal_label)
        if not placement.approach_label:
            placement.node_key = subgoal.key
            continue
        key = (subgoal.key, fold(placement.approach_label))
        if key not in by_label:
            siblings = sum(1 for a in approaches if a.parent_key == subgoal.key)
            code = f"{subgoal.code}.{siblings + 1}"
            by_label[key] = code
            approaches.append(
                ParsedNode(
                    level=4,
                    key=code,
                    code=code,
                    label=placement.approach_label,
                    line=placement.line,
                    parent_key=subgoal.key,
                )
            )
        placement.node_key = by_label[key]
    return subgoals + approaches


def _match_subgoal(
    goal: _Goal, subgoals: list[ParsedNode], placement: ParsedPlacement, parser: _Parser
) -> ParsedNode:
    label = placement.subgoal_label
    for node in subgoals:
        if label == node.label or label in node.aliases:
            return node
    tokens = match_tokens(label)
    # First by the short labels (bold words, page tabs), then by the whole Teilziel sentence.
    for words in (lambda b: " ".join(b["bold"] + b["tabs"]), lambda b: b["text"]):
        scores = [
            (len(tokens & match_tokens(words(bullet))), -index, node)
            for index, (node, bullet) in enumerate(zip(subgoals, goal.bullets, strict=False))
        ]
        best = max(scores, default=None, key=lambda item: item[:2])
        if best is not None and best[0] > 0:
            return best[2]
    code = f"{goal.code}.{len(subgoals) + 1}"
    node = ParsedNode(
        level=3, key=code, code=code, label=label, line=placement.line, parent_key=goal.code
    )
    subgoals.append(node)
    parser.note(
        placement.line,
        "subgoal-without-text",
        label,
        code,
        "Teilziel der Tabelle ohne Eintrag in der Teilziel-Liste",
    )
    return node


def _measures(placements: list[ParsedPlacement]) -> list[ParsedMeasure]:
    by_number: dict[str, list[ParsedPlacement]] = {}
    for placement in placements:
        by_number.setdefault(placement.number, []).append(placement)
    measures = []
    for number in sorted(by_number, key=number_sort_key):
        own = [p for p in by_number[number] if p.parent_order is None and p.title]
        home = int(number.split("-")[0])
        preferred = [p for p in own if p.field_number == home] or own
        # The umbrella wording (2-84 in Leitziel 2.3) carries the measure's SV references.
        preferred.sort(key=lambda p: (-len(p.key_projects), p.order))
        title = preferred[0].title if preferred else by_number[number][0].title
        measures.append(
            ParsedMeasure(
                number=number,
                home_field=home,
                title=title,
                commission=any(p.commission for p in by_number[number]),
            )
        )
    return measures
