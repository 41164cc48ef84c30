"""The plan as plain data: a snapshot of the database as a ParsedPlan, and JSON dicts both ways."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from django.utils.translation import gettext as _

from plans.importers.structure import (
    ParsedKeyProject,
    ParsedMeasure,
    ParsedNode,
    ParsedOrganisation,
    ParsedPlacement,
    ParsedPlan,
    ParsedStep,
)
from plans.models import (
    KeyProject,
    Measure,
    Node,
    Organisation,
    Placement,
    PlacementKeyProject,
    PlacementLead,
    PlacementParticipant,
    Plan,
    Step,
)
from plans.query_chunks import chunk_size

PLAN_FORMAT = "kek-monitor-plan"
PLAN_FORMAT_VERSION = 1
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "plan.schema.json"


def natural_text_key(text: str) -> list[tuple[int, int | str]]:
    """Sort key that compares digit runs as numbers ("SV I.2" before "SV I.10")."""
    return [(0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text)]


def plan_snapshot(plan: Plan) -> ParsedPlan:
    """Read a stored plan back into the importers' intermediate structure.

    Constant queries up to PLACEMENT_CHUNK placements, then five more per chunk.
    """
    snapshot = _snapshot_without_placements(plan)
    snapshot.placements = list(iter_parsed_placements(plan))
    return snapshot


def plan_data_streaming(plan: Plan, wrap: Callable[[Iterator[Any]], Any]) -> dict[str, Any]:
    """`plan_to_data(plan_snapshot(plan))` with the placements as wrap(iterator of dicts).

    For a writer that encodes the placements as they come (portal's open-data build): only one
    chunk of placements is in memory at a time.
    """
    data = plan_to_data(_snapshot_without_placements(plan))
    data["placements"] = wrap(asdict(placement) for placement in iter_parsed_placements(plan))
    return data


def _snapshot_without_placements(plan: Plan) -> ParsedPlan:
    """The plan's snapshot with every part but its placements (constant queries)."""
    nodes = list(Node.objects.filter(plan=plan).order_by("order", "id"))
    node_keys = {node.pk: node.key for node in nodes}
    organisations = sorted(Organisation.objects.filter(plan=plan), key=lambda o: o.abbreviation)
    key_projects = sorted(
        KeyProject.objects.filter(plan=plan),
        key=lambda k: (k.field_number, natural_text_key(k.code)),
    )
    measures = list(Measure.objects.filter(plan=plan).in_number_order())
    return ParsedPlan(
        slug=plan.slug,
        title=plan.title,
        level_names=list(plan.level_names),
        organisations=[
            ParsedOrganisation(
                abbreviation=o.abbreviation,
                name=o.name,
                kind=o.kind,
                in_glossary=o.in_glossary,
                line=o.line,
                aliases=list(o.aliases),
            )
            for o in organisations
        ],
        nodes=[
            ParsedNode(
                level=n.level,
                key=n.key,
                code=n.code,
                label=n.label,
                text=n.text,
                pages=n.pages,
                colour=n.colour,
                line=n.line,
                parent_key=node_keys.get(n.parent_id) if n.parent_id else None,
                aliases=list(n.aliases),
            )
            for n in nodes
        ],
        measures=[
            ParsedMeasure(
                number=m.number, home_field=m.home_field, title=m.title, commission=m.commission
            )
            for m in measures
        ],
        placements=[],
        key_projects=[
            ParsedKeyProject(code=k.code, field_number=k.field_number) for k in key_projects
        ],
        source_lines=plan.source_lines,
        source_sha256=plan.source_sha256,
    )


PLACEMENT_CHUNK = 5000


def iter_parsed_placements(plan: Plan) -> Iterator[ParsedPlacement]:
    """The plan's placements in document order, read PLACEMENT_CHUNK at a time with their
    leads, participants, key projects and steps (no unbounded IN lists)."""
    node_keys = dict(Node.objects.filter(plan=plan).values_list("pk", "key"))
    placements = Placement.objects.filter(plan=plan).in_document_order()
    orders = list(placements.values_list("pk", "order"))
    placement_orders = dict(orders)
    size = min(PLACEMENT_CHUNK, chunk_size())  # within the database's variable limit
    for start in range(0, len(orders), size):
        ids = [pk for pk, _order in orders[start : start + size]]
        chunk = placements.filter(pk__in=ids).select_related("measure")
        leads = _abbreviations_by_placement(PlacementLead, ids)
        participants = _abbreviations_by_placement(PlacementParticipant, ids)
        placement_key_projects: dict[int, list[str]] = defaultdict(list)
        for row in (
            PlacementKeyProject.objects.filter(placement_id__in=ids)
            .order_by("placement_id", "position")
            .values_list("placement_id", "key_project__code")
        ):
            placement_key_projects[row[0]].append(row[1])
        steps_by_placement: dict[int, list[ParsedStep]] = defaultdict(list)
        parsed_steps: dict[int, ParsedStep] = {}
        for step in Step.objects.filter(placement_id__in=ids).order_by("placement_id", "order"):
            parsed = ParsedStep(text=step.text)
            parsed_steps[step.pk] = parsed
            if step.parent_id is None:
                steps_by_placement[step.placement_id].append(parsed)
            else:
                parsed_steps[step.parent_id].children.append(parsed)
        for p in chunk:
            yield ParsedPlacement(
                number=p.measure.number,
                order=p.order,
                line=p.line,
                field_number=p.field_number,
                goal_code=p.goal_code,
                node_key=node_keys[p.node_id],
                subgoal_label=p.subgoal_label,
                approach_label=p.approach_label,
                number_cell=p.number_cell,
                title=p.title,
                text=p.text,
                steps=steps_by_placement.get(p.pk, []),
                lead=p.lead,
                participants=p.participants,
                priority=p.priority,
                lead_organisations=leads.get(p.pk, []),
                participant_organisations=participants.get(p.pk, []),
                key_projects=placement_key_projects.get(p.pk, []),
                commission=p.commission,
                parent_order=placement_orders[p.parent_id] if p.parent_id else None,
            )


def _abbreviations_by_placement(
    model: type[PlacementLead] | type[PlacementParticipant], placement_ids: list[int]
) -> dict[int, list[str]]:
    """Map placement id → organisation abbreviations in printed order."""
    result: dict[int, list[str]] = defaultdict(list)
    rows = (
        model.objects.filter(placement_id__in=placement_ids)
        .order_by("placement_id", "position")
        .values_list("placement_id", "organisation__abbreviation")
    )
    for placement_id, abbreviation in rows:
        result[placement_id].append(abbreviation)
    return result


def plan_to_data(parsed: ParsedPlan) -> dict[str, Any]:
    """Return the JSON-ready dict of a plan (the format described by plan.schema.json)."""
    return {
        "format": PLAN_FORMAT,
        "version": PLAN_FORMAT_VERSION,
        "slug": parsed.slug,
        "title": parsed.title,
        "level_names": list(parsed.level_names),
        "source_sha256": parsed.source_sha256,
        "source_lines": parsed.source_lines,
        "nodes": [asdict(node) for node in parsed.nodes],
        "organisations": [asdict(organisation) for organisation in parsed.organisations],
        "key_projects": [asdict(key_project) for key_project in parsed.key_projects],
        "measures": [asdict(measure) for measure in parsed.measures],
        "placements": [asdict(placement) for placement in parsed.placements],
    }


@cache
def plan_schema() -> dict[str, Any]:
    """Return the JSON Schema of the plan format."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def plan_data_errors(data: Any) -> list[str]:
    """Return readable schema violations of plan data (empty when valid)."""
    validator = jsonschema.Draft202012Validator(plan_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    root = _("(root)")
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or root}: {_shortened(e.message)}"
        for e in errors
    ]


def _shortened(message: str, limit: int = 200) -> str:
    """A schema message cut to a readable length: it may quote a value of many megabytes."""
    return message if len(message) <= limit else message[: limit - 1] + "…"


def parsed_plan_from_data(data: dict[str, Any]) -> ParsedPlan:
    """Build the intermediate structure from plan data that is valid against the schema."""
    return ParsedPlan(
        slug=data["slug"],
        title=data["title"],
        level_names=list(data["level_names"]),
        organisations=[ParsedOrganisation(**item) for item in data["organisations"]],
        nodes=[ParsedNode(**item) for item in data["nodes"]],
        measures=[ParsedMeasure(**item) for item in data["measures"]],
        placements=[
            ParsedPlacement(**{**item, "steps": [_step_from_data(s) for s in item["steps"]]})
            for item in data["placements"]
        ],
        key_projects=[ParsedKeyProject(**item) for item in data["key_projects"]],
        source_lines=data["source_lines"],
        source_sha256=data["source_sha256"],
    )


def _step_from_data(data: dict[str, Any]) -> ParsedStep:
    """Build a step and its children from plan data."""
    return ParsedStep(text=data["text"], children=[_step_from_data(c) for c in data["children"]])
