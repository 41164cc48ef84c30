"""Comparing two plans by natural keys, in German sentences, and checking a parsed plan."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from plans.importers.structure import ParsedPlacement, ParsedPlan, ParsedStep
from plans.models import Organisation


class PlanImportError(Exception):
    """A plan cannot be imported; the message is German and says why."""


@dataclass
class ImportResult:
    """What an import found and did, as German sentences."""

    slug: str
    plan_created: bool = False
    applied: bool = False
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        """True when the document differs from the stored plan (or the plan is new)."""
        return self.plan_created or bool(self.created or self.changed or self.removed)

    def summary(self) -> str:
        """One German sentence on the outcome."""
        if self.plan_created:
            return f"Plan „{self.slug}“ wurde neu angelegt."
        if not self.has_changes:
            return f"Keine Änderungen: Plan „{self.slug}“ entspricht bereits dem Dokument."
        counts = (
            f"{len(self.created)} neu, {len(self.changed)} geändert, {len(self.removed)} entfernt"
        )
        if self.applied:
            return f"Plan „{self.slug}“ wurde aktualisiert ({counts})."
        return (
            f"Plan „{self.slug}“ weicht vom Dokument ab ({counts}); "
            "nichts wurde geschrieben (mit --apply übernehmen)."
        )

    def lines(self) -> list[str]:
        """The summary followed by every difference, one German sentence each."""
        return [self.summary(), *self.created, *self.changed, *self.removed]


FIELD_NAMES: dict[str, str] = {
    "title": "Titel",
    "level_names": "Namen der Ebenen",
    "source_sha256": "Prüfsumme der Quelle",
    "source_lines": "Zeilen der Quelle",
    "level": "Ebene",
    "code": "Nummer",
    "label": "Bezeichnung",
    "text": "Text",
    "pages": "Seiten",
    "colour": "Farbe",
    "line": "Zeile",
    "parent_key": "übergeordneter Knoten",
    "aliases": "weitere Schreibweisen",
    "name": "Name",
    "kind": "Art",
    "in_glossary": "im Abkürzungsverzeichnis",
    "field_number": "Handlungsfeld",
    "home_field": "Heimat-Handlungsfeld",
    "commission": "Kommissionsbericht",
    "order": "Position im Dokument",
    "goal_code": "Leitziel",
    "node_key": "Knoten",
    "subgoal_label": "Teilziel",
    "approach_label": "Handlungsansatz",
    "number_cell": "Nr.-Zelle",
    "lead": "Ansprechpartner",
    "participants": "Beteiligte",
    "priority": "Priorität",
    "lead_organisations": "federführende Organisationen",
    "participant_organisations": "beteiligte Organisationen",
    "key_projects": "Schlüsselvorhaben",
    "parent": "gehört zu",
    "parent_step": "übergeordneter Teilschritt",
}

PLAN_FIELDS = ("title", "level_names", "source_sha256", "source_lines")
NODE_FIELDS = ("level", "code", "label", "text", "pages", "colour", "line", "parent_key", "aliases")
ORGANISATION_FIELDS = ("name", "kind", "in_glossary", "line", "aliases")
KEY_PROJECT_FIELDS = ("field_number",)
MEASURE_FIELDS = ("home_field", "title", "commission")
PLACEMENT_FIELDS = (
    "order",
    "line",
    "field_number",
    "goal_code",
    "node_key",
    "subgoal_label",
    "approach_label",
    "number_cell",
    "title",
    "text",
    "lead",
    "participants",
    "priority",
    "lead_organisations",
    "participant_organisations",
    "key_projects",
    "commission",
    "parent",
)
STEP_FIELDS = ("text", "parent_step")

PlacementKey = tuple[str, int]  # (measure number, n-th occurrence of that number, from 1)


@dataclass(frozen=True)
class FlatStep:
    """A step at its position (depth-first, from 0) under its placement."""

    position: int
    parent_position: int | None
    depth: int
    text: str


def flatten_steps(steps: Sequence[ParsedStep]) -> list[FlatStep]:
    """Number the nested steps depth-first, as they are printed."""
    result: list[FlatStep] = []

    def walk(items: Sequence[ParsedStep], parent: int | None, depth: int) -> None:
        for item in items:
            position = len(result)
            result.append(FlatStep(position, parent, depth, item.text))
            walk(item.children, position, depth + 1)

    walk(steps, None, 0)
    return result


def placement_keys(placements: Sequence[ParsedPlacement]) -> dict[int, PlacementKey]:
    """Map placement order → natural key (number, n-th occurrence in document order)."""
    seen: Counter[str] = Counter()
    keys: dict[int, PlacementKey] = {}
    for placement in sorted(placements, key=lambda p: p.order):
        seen[placement.number] += 1
        keys[placement.order] = (placement.number, seen[placement.number])
    return keys


def _placement_values(plan: ParsedPlan) -> dict[PlacementKey, dict[str, Any]]:
    """Comparable values of each placement, keyed naturally (parent as natural key too)."""
    keys = placement_keys(plan.placements)
    values: dict[PlacementKey, dict[str, Any]] = {}
    for placement in plan.placements:
        row = {name: getattr(placement, name) for name in PLACEMENT_FIELDS if name != "parent"}
        parent = keys.get(placement.parent_order) if placement.parent_order is not None else None
        row["parent"] = _placement_label(parent) if parent else None
        values[keys[placement.order]] = row
    return values


def _placement_label(key: PlacementKey) -> str:
    """German name of a placement by its natural key."""
    number, occurrence = key
    return f"Einordnung {number} ({occurrence}. Vorkommen)"


def _node_name(plan: ParsedPlan, level: int, key: str, code: str) -> str:
    """German name of a node, using the plan's level names."""
    names = plan.level_names
    level_name = names[level - 1] if 0 < level <= len(names) else "Knoten"
    return f"{level_name} {code} (Schlüssel {key})"


def _show(value: Any) -> str:
    """Render a value for a German diff sentence."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, list):
        return "[" + "; ".join(str(item) for item in value) + "]"
    if isinstance(value, str):
        shown = value if len(value) <= 80 else value[:77] + "…"
        return f"„{shown}“"
    return str(value)


def _compare(
    old: dict[Any, dict[str, Any]],
    new: dict[Any, dict[str, Any]],
    names: dict[Any, str],
    result: ImportResult,
) -> None:
    """Add German sentences for created, changed and removed items of one kind."""
    for key, values in new.items():
        if key not in old:
            result.created.append(f"{names[key]} kommt neu hinzu.")
            continue
        differences = [
            f"{FIELD_NAMES.get(name, name)} {_show(old[key][name])} → {_show(value)}"
            for name, value in values.items()
            if old[key].get(name) != value
        ]
        if differences:
            result.changed.append(f"{names[key]}: " + ", ".join(differences) + ".")
    for key in old:
        if key not in new:
            result.removed.append(f"{names[key]} entfällt.")


def diff_plans(old: ParsedPlan, new: ParsedPlan, result: ImportResult) -> None:
    """Compare two plans by natural keys and add German sentences to result."""
    plan_old = {name: getattr(old, name) for name in PLAN_FIELDS}
    plan_new = {name: getattr(new, name) for name in PLAN_FIELDS}
    _compare({"plan": plan_old}, {"plan": plan_new}, {"plan": "Plan"}, result)

    def nodes(plan: ParsedPlan) -> dict[str, dict[str, Any]]:
        return {
            n.key: {**{f: getattr(n, f) for f in NODE_FIELDS}, "order": i}
            for i, n in enumerate(plan.nodes)
        }

    node_names = {n.key: _node_name(old, n.level, n.key, n.code) for n in old.nodes}
    node_names |= {n.key: _node_name(new, n.level, n.key, n.code) for n in new.nodes}
    _compare(nodes(old), nodes(new), node_names, result)

    def organisations(plan: ParsedPlan) -> dict[str, dict[str, Any]]:
        return {
            o.abbreviation: {f: getattr(o, f) for f in ORGANISATION_FIELDS}
            for o in plan.organisations
        }

    organisation_names = {
        o.abbreviation: f"Organisation {o.abbreviation}"
        for o in [*old.organisations, *new.organisations]
    }
    _compare(organisations(old), organisations(new), organisation_names, result)

    def key_projects(plan: ParsedPlan) -> dict[str, dict[str, Any]]:
        return {k.code: {f: getattr(k, f) for f in KEY_PROJECT_FIELDS} for k in plan.key_projects}

    key_project_names = {
        k.code: f"Schlüsselvorhaben {k.code}" for k in [*old.key_projects, *new.key_projects]
    }
    _compare(key_projects(old), key_projects(new), key_project_names, result)

    def measures(plan: ParsedPlan) -> dict[str, dict[str, Any]]:
        return {m.number: {f: getattr(m, f) for f in MEASURE_FIELDS} for m in plan.measures}

    measure_names = {m.number: f"Maßnahme {m.number}" for m in [*old.measures, *new.measures]}
    _compare(measures(old), measures(new), measure_names, result)

    old_placements, new_placements = _placement_values(old), _placement_values(new)
    placement_names = {key: _placement_label(key) for key in [*old_placements, *new_placements]}
    _compare(old_placements, new_placements, placement_names, result)

    def steps(plan: ParsedPlan) -> dict[tuple[PlacementKey, int], dict[str, Any]]:
        keys = placement_keys(plan.placements)
        return {
            (keys[p.order], s.position): {"text": s.text, "parent_step": _step_no(s)}
            for p in plan.placements
            for s in flatten_steps(p.steps)
        }

    old_steps, new_steps = steps(old), steps(new)
    step_names = {
        key: f"Teilschritt {key[1] + 1} der {_placement_label(key[0])}"
        for key in [*old_steps, *new_steps]
    }
    # Steps of a placement that comes or goes are covered by the placement's sentence.
    old_steps = {k: v for k, v in old_steps.items() if k[0] in new_placements}
    new_steps = {k: v for k, v in new_steps.items() if k[0] in old_placements}
    _compare(old_steps, new_steps, step_names, result)


def _step_no(step: FlatStep) -> int | None:
    """Printed number (from 1) of the step's parent, None at the top."""
    return None if step.parent_position is None else step.parent_position + 1


def check_parsed_plan(parsed: ParsedPlan) -> None:
    """Raise PlanImportError when the parsed plan is inconsistent in itself."""
    problems: list[str] = []

    def duplicates(what: str, keys: Iterable[Any]) -> None:
        for key, count in Counter(keys).items():
            if count > 1:
                problems.append(f"{what} „{key}“ kommt {count}-mal vor.")

    duplicates("Knoten-Schlüssel", (n.key for n in parsed.nodes))
    duplicates("Organisation", (o.abbreviation for o in parsed.organisations))
    duplicates("Schlüsselvorhaben", (k.code for k in parsed.key_projects))
    duplicates("Maßnahme", (m.number for m in parsed.measures))
    duplicates("Position einer Einordnung", (p.order for p in parsed.placements))

    node_keys = {n.key for n in parsed.nodes}
    for node in parsed.nodes:
        if node.parent_key is not None and node.parent_key not in node_keys:
            problems.append(
                f"Knoten „{node.key}“: übergeordneter Knoten „{node.parent_key}“ fehlt."
            )
        if not 1 <= node.level <= 4:
            problems.append(
                f"Knoten „{node.key}“: Ebene {node.level} liegt nicht zwischen 1 und 4."
            )
    organisations = {o.abbreviation for o in parsed.organisations}
    kinds = set(Organisation.Kind.values)
    for organisation in parsed.organisations:
        if organisation.kind not in kinds:
            problems.append(
                f"Organisation „{organisation.abbreviation}“: unbekannte Art „{organisation.kind}“."
            )
    key_projects = {k.code for k in parsed.key_projects}
    measures = {m.number for m in parsed.measures}
    orders = {p.order for p in parsed.placements}
    for p in parsed.placements:
        where = f"Einordnung {p.number} (Zeile {p.line})"
        if p.number not in measures:
            problems.append(f"{where}: Maßnahme {p.number} fehlt in der Liste der Maßnahmen.")
        if p.node_key not in node_keys:
            problems.append(f"{where}: Knoten „{p.node_key}“ fehlt.")
        for abbreviation in [*p.lead_organisations, *p.participant_organisations]:
            if abbreviation not in organisations:
                problems.append(f"{where}: Organisation „{abbreviation}“ fehlt.")
        for code in p.key_projects:
            if code not in key_projects:
                problems.append(f"{where}: Schlüsselvorhaben „{code}“ fehlt.")
        if p.parent_order is not None and (
            p.parent_order not in orders or p.parent_order >= p.order
        ):
            problems.append(
                f"{where}: gehört zu einer Zeile (Position {p.parent_order}), die davor fehlt."
            )
    if problems:
        shown = problems[:20] + (
            [f"… und {len(problems) - 20} weitere."] if len(problems) > 20 else []
        )
        raise PlanImportError("Der Plan ist in sich nicht stimmig:\n" + "\n".join(shown))
