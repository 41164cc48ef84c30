"""Comparing two plans by natural keys, in German sentences, and checking a parsed plan."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    notes: list[str] = field(default_factory=list)  # what the differences mean; no change
    warnings: list[str] = field(default_factory=list)  # likely mistakes in the document

    @property
    def has_changes(self) -> bool:
        """True when the document differs from the stored plan (or the plan is new)."""
        return self.plan_created or bool(self.created or self.changed or self.removed)

    def summary(self) -> str:
        """One German sentence on the outcome."""
        if self.plan_created:
            return _("Plan “%(slug)s” was created.") % {"slug": self.slug}
        if not self.has_changes:
            return _("No changes: plan “%(slug)s” already matches the document.") % {
                "slug": self.slug
            }
        counts = _("%(created)d new, %(changed)d changed, %(removed)d removed") % {
            "created": len(self.created),
            "changed": len(self.changed),
            "removed": len(self.removed),
        }
        if self.applied:
            return _("Plan “%(slug)s” was updated (%(counts)s).") % {
                "slug": self.slug,
                "counts": counts,
            }
        return _(
            "Plan “%(slug)s” differs from the document (%(counts)s); "
            "nothing was written (apply with --apply)."
        ) % {"slug": self.slug, "counts": counts}

    def lines(self) -> list[str]:
        """The summary followed by every difference, one German sentence each."""
        return [self.summary(), *self.created, *self.changed, *self.removed, *self.notes]


FIELD_NAMES: dict[str, Any] = {
    "title": gettext_lazy("Title"),
    "level_names": gettext_lazy("Level names"),
    "source_sha256": gettext_lazy("Source checksum"),
    "source_lines": gettext_lazy("Source lines"),
    "level": gettext_lazy("Level"),
    "code": gettext_lazy("Number"),
    "label": gettext_lazy("Label"),
    "text": gettext_lazy("Text"),
    "pages": gettext_lazy("Page numbers"),
    "colour": gettext_lazy("Colour"),
    "line": gettext_lazy("Line"),
    "parent_key": gettext_lazy("parent node"),
    "aliases": gettext_lazy("other spellings"),
    "name": gettext_lazy("Name"),
    "kind": gettext_lazy("Kind"),
    "in_glossary": gettext_lazy("in the list of abbreviations"),
    "field_number": gettext_lazy("Field of action"),
    "home_field": gettext_lazy("Home field of action"),
    "commission": gettext_lazy("Commission report"),
    "order": gettext_lazy("Position in the document"),
    "goal_code": gettext_lazy("Guiding goal"),
    "node_key": gettext_lazy("Node"),
    "subgoal_label": gettext_lazy("Sub-goal"),
    "approach_label": gettext_lazy("Approach"),
    "number_cell": gettext_lazy("No. cell"),
    "lead": gettext_lazy("Contact"),
    "participants": gettext_lazy("Participants"),
    "priority": gettext_lazy("Priority"),
    "lead_organisations": gettext_lazy("lead organisations"),
    "participant_organisations": gettext_lazy("participating organisations"),
    "key_projects": gettext_lazy("Key projects"),
    "parent": gettext_lazy("belongs to"),
    "parent_step": gettext_lazy("parent step"),
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
    return _("Placement %(number)s (occurrence %(occurrence)s)") % {
        "number": number,
        "occurrence": occurrence,
    }


def _node_name(plan: ParsedPlan, level: int, key: str, code: str) -> str:
    """German name of a node, using the plan's level names."""
    names = plan.level_names
    level_name = names[level - 1] if 0 < level <= len(names) else _("Node")
    return _("%(level_name)s %(code)s (key %(key)s)") % {
        "level_name": level_name,
        "code": code,
        "key": key,
    }


def _show(value: Any) -> str:
    """Render a value for a German diff sentence."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "[" + "; ".join(str(item) for item in value) + "]"
    if isinstance(value, str):
        shown = value if len(value) <= 80 else value[:77] + "…"
        return _("“%(text)s”") % {"text": shown}
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
            result.created.append(_("%(item)s is new.") % {"item": names[key]})
            continue
        differences = [
            _("%(field)s %(old)s → %(new)s")
            % {
                "field": FIELD_NAMES.get(name, name),
                "old": _show(old[key][name]),
                "new": _show(value),
            }
            for name, value in values.items()
            if old[key].get(name) != value
        ]
        if differences:
            result.changed.append(
                _("%(item)s: %(differences)s.")
                % {"item": names[key], "differences": ", ".join(differences)}
            )
    for key in old:
        if key not in new:
            result.removed.append(_("%(item)s is dropped.") % {"item": names[key]})


def diff_plans(old: ParsedPlan, new: ParsedPlan, result: ImportResult) -> None:
    """Compare two plans by natural keys and add German sentences to result."""
    plan_old = {name: getattr(old, name) for name in PLAN_FIELDS}
    plan_new = {name: getattr(new, name) for name in PLAN_FIELDS}
    _compare({"plan": plan_old}, {"plan": plan_new}, {"plan": _("Plan")}, result)

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
        o.abbreviation: _("Organisation %(abbreviation)s") % {"abbreviation": o.abbreviation}
        for o in [*old.organisations, *new.organisations]
    }
    _compare(organisations(old), organisations(new), organisation_names, result)

    def key_projects(plan: ParsedPlan) -> dict[str, dict[str, Any]]:
        return {k.code: {f: getattr(k, f) for f in KEY_PROJECT_FIELDS} for k in plan.key_projects}

    key_project_names = {
        k.code: _("Key project %(code)s") % {"code": k.code}
        for k in [*old.key_projects, *new.key_projects]
    }
    _compare(key_projects(old), key_projects(new), key_project_names, result)

    def measures(plan: ParsedPlan) -> dict[str, dict[str, Any]]:
        return {m.number: {f: getattr(m, f) for f in MEASURE_FIELDS} for m in plan.measures}

    measure_names = {
        m.number: _("Measure %(number)s") % {"number": m.number}
        for m in [*old.measures, *new.measures]
    }
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
        key: _("Step %(position)s of %(placement)s")
        % {"position": key[1] + 1, "placement": _placement_label(key[0])}
        for key in [*old_steps, *new_steps]
    }
    # Steps of a placement that comes or goes are covered by the placement's sentence.
    old_steps = {k: v for k, v in old_steps.items() if k[0] in new_placements}
    new_steps = {k: v for k, v in new_steps.items() if k[0] in old_placements}
    _compare(old_steps, new_steps, step_names, result)


def _step_no(step: FlatStep) -> int | None:
    """Printed number (from 1) of the step's parent, None at the top."""
    return None if step.parent_position is None else step.parent_position + 1


def duplicated_number_warnings(parsed: ParsedPlan) -> list[str]:
    """Warn of a number printed twice in one table with different wordings (a likely typo).

    Interlinked placements (other tables) and building blocks (rows under a parent) are
    meant to differ; two top-level rows of one table with one number usually mean that a
    neighbour's number was mistyped, and that neighbour would be deleted on --apply.
    """
    wordings: dict[tuple[str, str], list[str]] = defaultdict(list)
    for placement in parsed.placements:
        if placement.parent_order is None:
            titles = wordings[(placement.node_key, placement.number)]
            if placement.title not in titles:
                titles.append(placement.title)
    return [
        _("Measure %(number)s appears twice in one table with different wordings: %(wordings)s.")
        % {"number": number, "wordings": " / ".join(f"„{_shorten(t)}“" for t in titles)}
        for (_node, number), titles in wordings.items()
        if len(titles) > 1
    ]


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_parsed_plan(parsed: ParsedPlan) -> None:
    """Raise PlanImportError when the parsed plan is inconsistent in itself."""
    problems: list[str] = []

    def duplicates(what: str, keys: Iterable[Any]) -> None:
        for key, count in Counter(keys).items():
            if count > 1:
                problems.append(
                    _("%(what)s “%(key)s” occurs %(count)d times.")
                    % {"what": what, "key": key, "count": count}
                )

    duplicates(_("Node key"), (n.key for n in parsed.nodes))
    duplicates(_("Organisation"), (o.abbreviation for o in parsed.organisations))
    duplicates(_("Key project"), (k.code for k in parsed.key_projects))
    duplicates(_("Measure"), (m.number for m in parsed.measures))
    duplicates(_("Position of a placement"), (p.order for p in parsed.placements))

    node_keys = {n.key for n in parsed.nodes}
    for node in parsed.nodes:
        if node.parent_key is not None and node.parent_key not in node_keys:
            problems.append(
                _("Node “%(key)s”: parent node “%(parent)s” is missing.")
                % {"key": node.key, "parent": node.parent_key}
            )
        if not 1 <= node.level <= 4:
            problems.append(
                _("Node “%(key)s”: level %(level)s is not between 1 and 4.")
                % {"key": node.key, "level": node.level}
            )
    organisations = {o.abbreviation for o in parsed.organisations}
    kinds = set(Organisation.Kind.values)
    for organisation in parsed.organisations:
        if organisation.kind not in kinds:
            problems.append(
                _("Organisation “%(abbreviation)s”: unknown kind “%(kind)s”.")
                % {"abbreviation": organisation.abbreviation, "kind": organisation.kind}
            )
    key_projects = {k.code for k in parsed.key_projects}
    measures = {m.number for m in parsed.measures}
    orders = {p.order for p in parsed.placements}
    for p in parsed.placements:
        where = _("Placement %(number)s (line %(line)s)") % {"number": p.number, "line": p.line}
        if p.number not in measures:
            problems.append(
                _("%(where)s: measure %(number)s is missing from the list of measures.")
                % {"where": where, "number": p.number}
            )
        if p.node_key not in node_keys:
            problems.append(
                _("%(where)s: node “%(key)s” is missing.") % {"where": where, "key": p.node_key}
            )
        for abbreviation in [*p.lead_organisations, *p.participant_organisations]:
            if abbreviation not in organisations:
                problems.append(
                    _("%(where)s: organisation “%(abbreviation)s” is missing.")
                    % {"where": where, "abbreviation": abbreviation}
                )
        for code in p.key_projects:
            if code not in key_projects:
                problems.append(
                    _("%(where)s: key project “%(code)s” is missing.")
                    % {"where": where, "code": code}
                )
        if p.parent_order is not None and (
            p.parent_order not in orders or p.parent_order >= p.order
        ):
            problems.append(
                _("%(where)s: belongs to a row (position %(position)s) that is missing before it.")
                % {"where": where, "position": p.parent_order}
            )
    if problems:
        shown = problems[:20] + (
            [_("… and %(count)d more.") % {"count": len(problems) - 20}]
            if len(problems) > 20
            else []
        )
        raise PlanImportError(_("The plan is not consistent in itself:") + "\n" + "\n".join(shown))
