"""Bring the stored catalogue in line with a parsed plan: upserts by natural key, then deletions."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any, TypeVar

from django.db import models
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.history import record_imported_states
from plans.importers.structure import ParsedPlacement, ParsedPlan
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
from plans.models.measure import number_sort_parts
from plans.models.placement import priority_level
from plans.plan_diff import (
    ORGANISATION_FIELDS,
    PlacementKey,
    PlanImportError,
    flatten_steps,
    placement_keys,
)
from plans.query_chunks import chunks, create_batch_size, update_batch_size

from .facets import refresh_measure_facets
from .revisions import CatalogueChange, PlanChange, announce_plan_change, update_catalogue_indexes


def write_plan(plan: Plan, parsed: ParsedPlan) -> None:
    """Bring the stored plan in line with parsed (upserts by natural key, then deletions)."""
    updating = plan.pk is not None
    for name in ("title", "level_names", "source_sha256", "source_lines"):
        setattr(plan, name, getattr(parsed, name))
    plan.imported_at = timezone.now()
    plan.revision += 1
    plan.catalogue_revision += 1
    plan.save()
    announce_plan_change(PlanChange(plan.pk, plan.revision))

    organisations = _sync_organisations(plan, parsed)
    key_projects = _sync_key_projects(plan, parsed)
    nodes = _sync_nodes(plan, parsed)
    measures = _sync_measures(plan, parsed)
    _sync_placements(plan, parsed, measures, nodes)
    placements = {p.order: p for p in Placement.all_objects.filter(plan=plan)}
    _sync_relations(plan, parsed, placements, organisations, key_projects)
    _sync_steps(plan, parsed, placements)

    if updating:
        _soft_delete_dropped_measures(plan, set(measures))
    _delete_nodes(plan, set(nodes))
    _delete(
        Organisation.objects.filter(plan=plan).exclude(abbreviation__in=organisations.keys()),
        _("Organisations"),
    )
    _delete(
        KeyProject.objects.filter(plan=plan).exclude(code__in=key_projects.keys()),
        _("Key projects"),
    )
    refresh_measure_facets(plan.pk)
    # The import rebuilds the derived indexes once, inside its transaction.
    update_catalogue_indexes(CatalogueChange(plan.pk, everything=True))


def _delete(queryset: models.QuerySet[Any], what: str) -> None:
    """Delete rows the document no longer has; refuse when other data still refers to them."""
    try:
        queryset.delete()
    except (ProtectedError, RestrictedError) as error:
        names = ", ".join(sorted(str(obj) for obj in error.args[1]))[:300]
        raise PlanImportError(
            _("%(what)s cannot be removed because other data still refers to them: %(names)s")
            % {"what": what, "names": names}
        ) from error


def _soft_delete_dropped_measures(plan: Plan, kept: set[str]) -> None:
    """Delete the measures the document no longer has softly: their placements are gone with the
    document's rows, but the measure, its status reports, comments and history stay."""
    # Compared here, not in an IN list of every kept number (a large plan has 250,000).
    dropped = [
        pk
        for pk, number in Measure.objects.filter(plan=plan).values_list("pk", "number")
        if number not in kept
    ]
    if not dropped:
        return
    record_imported_states(Measure, dropped)
    note = _("No longer in the document (import of %(date)s)") % {
        "date": timezone.localtime(plan.imported_at).strftime("%d.%m.%Y")
    }
    for chunk in chunks(dropped):
        Measure.all_objects.filter(pk__in=chunk).update(
            deleted_at=plan.imported_at, deleted_by=None, deletion_note=note
        )
        Measure.history.bulk_history_create(
            list(Measure.all_objects.filter(pk__in=chunk)),
            update=True,
            default_change_reason=_("Deleted by the import"),
            default_date=plan.imported_at,
            batch_size=create_batch_size(Measure.history.model),
        )


M = TypeVar("M", bound=models.Model)


def _upsert(
    model: type[M],
    existing: Mapping[Any, M],
    wanted: dict[Any, dict[str, Any]],
    build: dict[str, Any],
) -> dict[Any, M]:
    """Create missing rows and update differing ones in bulk; return all wanted rows by key."""
    to_create: list[M] = []
    to_update: list[M] = []
    changed_fields: set[str] = set()
    rows: dict[Any, M] = {}
    for key, values in wanted.items():
        row = existing.get(key)
        if row is None:
            row = model(**build, **values)
            to_create.append(row)
        else:
            differing = [name for name, value in values.items() if getattr(row, name) != value]
            for name in differing:
                setattr(row, name, values[name])
            if differing:
                to_update.append(row)
                changed_fields.update(differing)
        rows[key] = row
    # The base manager: rows of softly deleted measures are written too.
    if to_create:
        model._base_manager.bulk_create(to_create, batch_size=create_batch_size(model))
    if to_update:
        fields = sorted(changed_fields)
        model._base_manager.bulk_update(to_update, fields, batch_size=update_batch_size(fields))
    return rows


def _sync_organisations(plan: Plan, parsed: ParsedPlan) -> dict[str, Organisation]:
    """Upsert organisations by abbreviation."""
    existing = {o.abbreviation: o for o in Organisation.objects.filter(plan=plan)}
    wanted = {
        o.abbreviation: {
            "abbreviation": o.abbreviation,
            **{f: getattr(o, f) for f in ORGANISATION_FIELDS},
        }
        for o in parsed.organisations
    }
    return _upsert(Organisation, existing, wanted, {"plan": plan})


def _sync_key_projects(plan: Plan, parsed: ParsedPlan) -> dict[str, KeyProject]:
    """Upsert key projects by code."""
    existing = {k.code: k for k in KeyProject.objects.filter(plan=plan)}
    wanted = {k.code: {"code": k.code, "field_number": k.field_number} for k in parsed.key_projects}
    return _upsert(KeyProject, existing, wanted, {"plan": plan})


def _sync_nodes(plan: Plan, parsed: ParsedPlan) -> dict[str, Node]:
    """Upsert nodes by key, level by level so that parents exist before their children."""
    existing = {n.key: n for n in Node.objects.filter(plan=plan)}
    rows: dict[str, Node] = {}
    by_depth: dict[int, list[tuple[int, Any]]] = defaultdict(list)
    depths: dict[str, int] = {}
    parents = {n.key: n.parent_key for n in parsed.nodes}

    def depth(key: str, seen: frozenset[str] = frozenset()) -> int:
        if key not in depths:
            parent = parents[key]
            if parent is not None and parent in seen:
                raise PlanImportError(_("Node “%(key)s” is its own ancestor.") % {"key": key})
            depths[key] = 0 if parent is None else depth(parent, seen | {key}) + 1
        return depths[key]

    for index, node in enumerate(parsed.nodes):
        by_depth[depth(node.key)].append((index, node))
    for level in sorted(by_depth):
        wanted = {
            node.key: {
                "key": node.key,
                "level": node.level,
                "code": node.code,
                "label": node.label,
                "text": node.text,
                "pages": node.pages,
                "colour": node.colour,
                "line": node.line,
                "aliases": node.aliases,
                "order": index,
                "parent_id": rows[node.parent_key].pk if node.parent_key else None,
            }
            for index, node in by_depth[level]
        }
        rows |= _upsert(Node, existing, wanted, {"plan": plan})
    return rows


def _delete_nodes(plan: Plan, keep: set[str]) -> None:
    """Delete nodes the document no longer has, deepest first."""
    removed = Node.objects.filter(plan=plan).exclude(key__in=keep)
    for level in (4, 3, 2, 1):
        _delete(removed.filter(level=level), _("Outline nodes"))


def _sync_measures(plan: Plan, parsed: ParsedPlan) -> dict[str, Measure]:
    """Upsert measures by number (rows are kept, so data attached to them stays)."""
    existing = {m.number: m for m in Measure.all_objects.filter(plan=plan)}
    wanted = {}
    for m in parsed.measures:
        field_part, seq = number_sort_parts(m.number)
        wanted[m.number] = {
            "number": m.number,
            "home_field": m.home_field,
            "title": m.title,
            "commission": m.commission,
            "field_part": field_part,
            "seq": seq,
            # In the document, so in the plan: a softly deleted measure comes back.
            "deleted_at": None,
            "deleted_by_id": None,
            "deletion_note": "",
        }
    return _upsert(Measure, existing, wanted, {"plan": plan})


def _sync_placements(
    plan: Plan, parsed: ParsedPlan, measures: dict[str, Measure], nodes: dict[str, Node]
) -> None:
    """Upsert placements by (number, n-th occurrence) and delete the others."""
    stored = list(
        Placement.all_objects.filter(plan=plan).select_related("measure").order_by("order")
    )
    seen: Counter[str] = Counter()
    existing: dict[PlacementKey, Placement] = {}
    for placement in stored:
        seen[placement.measure.number] += 1
        existing[(placement.measure.number, seen[placement.measure.number])] = placement
    keys = placement_keys(parsed.placements)
    wanted_keys = set(keys.values())

    removed_ids = [p.pk for key, p in existing.items() if key not in wanted_keys]
    if removed_ids:
        # Building blocks of a removed row must not go with it by cascade when they stay.
        removed = set(removed_ids)
        orphans = [p.pk for p in stored if p.parent_id in removed and p.pk not in removed]
        for chunk in chunks(orphans):
            Placement.all_objects.filter(pk__in=chunk).update(parent=None)
        for chunk in chunks(removed_ids):
            Placement.all_objects.filter(pk__in=chunk).delete()
        existing = {key: p for key, p in existing.items() if key in wanted_keys}

    # Orders are unique: park rows that move above every old and new order first.
    new_orders = {keys[p.order]: p.order for p in parsed.placements}
    moving = [p for key, p in existing.items() if p.order != new_orders[key]]
    if moving:
        offset = 1 + max([p.order for p in stored] + list(new_orders.values()))
        for placement in moving:
            placement.order += offset
        Placement.all_objects.bulk_update(
            moving, ["order"], batch_size=update_batch_size(["order"])
        )

    by_order = {p.order: p for p in parsed.placements}
    rows: dict[int, Placement] = {}

    def placement_depth(p: ParsedPlacement) -> int:
        return 0 if p.parent_order is None else placement_depth(by_order[p.parent_order]) + 1

    by_depth: dict[int, list[ParsedPlacement]] = defaultdict(list)
    for p in parsed.placements:
        by_depth[placement_depth(p)].append(p)
    for depth in sorted(by_depth):
        wanted = {
            keys[p.order]: {
                "measure_id": measures[p.number].pk,
                "node_id": nodes[p.node_key].pk,
                "parent_id": rows[p.parent_order].pk if p.parent_order is not None else None,
                "order": p.order,
                "line": p.line,
                "field_number": p.field_number,
                "goal_code": p.goal_code,
                "subgoal_label": p.subgoal_label,
                "approach_label": p.approach_label,
                "number_cell": p.number_cell,
                "title": p.title,
                "text": p.text,
                "lead": p.lead,
                "participants": p.participants,
                "priority": p.priority,
                "priority_level": priority_level(p.priority),
                "commission": p.commission,
            }
            for p in by_depth[depth]
        }
        upserted = _upsert(Placement, existing, wanted, {"plan": plan})
        rows |= {row.order: row for row in upserted.values()}


def _sync_relations(
    plan: Plan,
    parsed: ParsedPlan,
    placements: dict[int, Placement],
    organisations: dict[str, Organisation],
    key_projects: dict[str, KeyProject],
) -> None:
    """Rewrite lead, participant and key project links of placements whose printed lists differ."""
    relations: list[tuple[type[models.Model], str, str, dict[str, Any]]] = [
        (PlacementLead, "organisation_id", "lead_organisations", organisations),
        (PlacementParticipant, "organisation_id", "participant_organisations", organisations),
        (PlacementKeyProject, "key_project_id", "key_projects", key_projects),
    ]
    for model, target, attribute, targets in relations:
        stored: dict[int, list[int]] = defaultdict(list)
        for placement_id, target_id in (
            # Every placement of the plan: a join, not an IN list of all of them.
            model._default_manager.filter(placement__plan=plan)
            .order_by("placement_id", "position")
            .values_list("placement_id", target)
        ):
            stored[placement_id].append(target_id)
        stale: list[int] = []
        fresh: list[models.Model] = []
        for p in parsed.placements:
            row = placements[p.order]
            wanted = [targets[name].pk for name in getattr(p, attribute)]
            if stored.get(row.pk, []) == wanted:
                continue
            if row.pk in stored:
                stale.append(row.pk)
            fresh += [
                model(placement_id=row.pk, position=position, **{target: target_id})
                for position, target_id in enumerate(wanted)
            ]
        for chunk in chunks(stale):
            model._default_manager.filter(placement_id__in=chunk).delete()
        if fresh:
            model._default_manager.bulk_create(fresh, batch_size=create_batch_size(model))


def _sync_steps(plan: Plan, parsed: ParsedPlan, placements: dict[int, Placement]) -> None:
    """Upsert steps by position under their placement, depth by depth; delete the rest."""
    existing = {
        (step.placement_id, step.order): step
        # Every placement of the plan: a join, not an IN list of all of them.
        for step in Step.all_objects.filter(placement__plan=plan)
    }
    flat = [
        (placements[p.order].pk, step) for p in parsed.placements for step in flatten_steps(p.steps)
    ]
    rows: dict[tuple[int, int], Step] = {}
    for depth in sorted({step.depth for _placement_id, step in flat}):
        wanted = {
            (placement_id, step.position): {
                "placement_id": placement_id,
                "order": step.position,
                "text": step.text,
                "parent_id": (
                    rows[(placement_id, step.parent_position)].pk
                    if step.parent_position is not None
                    else None
                ),
            }
            for placement_id, step in flat
            if step.depth == depth
        }
        rows |= _upsert(Step, existing, wanted, {})
    removed = [step.pk for key, step in existing.items() if key not in rows]
    for chunk in chunks(removed):
        Step.all_objects.filter(pk__in=chunk).delete()
