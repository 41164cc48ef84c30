"""Turn model rows into the API's dictionaries (the shapes are in api/schemas.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest

from monitoring.models import ReportingRound, StatusReport
from plans.models import KeyProject, Node, Organisation, Placement, Plan, Step
from portal.slugs import key_project_slug

from .common import link


def placements_query(plan: Plan) -> QuerySet[Placement]:
    """Placements with what their rows show, fetched in a fixed number of queries."""
    return (
        Placement.objects.filter(plan=plan)
        .select_related("measure", "node")
        .prefetch_related(
            "lead_rows__organisation",
            "participant_rows__organisation",
            "key_project_rows__key_project",
            Prefetch("steps", queryset=Step.objects.order_by("order", "pk")),
        )
        .in_document_order()
    )


def organisation_ref(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    return {
        "abbreviation": organisation.abbreviation,
        "name": organisation.name,
        "url": link(request, "organisations", organisation.abbreviation),
    }


def organisation(request: HttpRequest, org: Organisation) -> dict[str, Any]:
    return {
        **organisation_ref(request, org),
        "kind": org.kind,
        "in_glossary": org.in_glossary,
        "links": {
            "leads": link(request, "measures", query={"federfuehrung": org.abbreviation}),
            "takes_part_in": link(request, "measures", query={"beteiligt": org.abbreviation}),
        },
    }


def placement(request: HttpRequest, row: Placement) -> dict[str, Any]:
    return {
        "id": row.pk,
        "measure": row.measure.number,
        "node": row.node.code,
        "field_number": row.field_number,
        "goal_code": row.goal_code,
        "subgoal_label": row.subgoal_label,
        "approach_label": row.approach_label,
        "number_cell": row.number_cell,
        "title": row.title,
        "text": row.text,
        "lead": [
            organisation_ref(request, r.organisation)
            for r in sorted(row.lead_rows.all(), key=lambda r: r.position)
        ],
        "participants": [
            organisation_ref(request, r.organisation)
            for r in sorted(row.participant_rows.all(), key=lambda r: r.position)
        ],
        "priority": row.priority,
        "priority_level": row.priority_level,
        "commission": row.commission,
        "key_projects": [
            r.key_project.code for r in sorted(row.key_project_rows.all(), key=lambda r: r.position)
        ],
        "building_block_of": row.parent_id,
        "steps": [step.text for step in row.steps.all()],
        "url": link(request, "placements", row.pk),
        "links": {
            "measure": link(request, "measures", row.measure.number),
            "node": link(request, "nodes", row.node.code),
        },
    }


def node(request: HttpRequest, plan: Plan, row: Node, parent_code: str | None) -> dict[str, Any]:
    links = {"placements": link(request, "placements", query={"knoten": row.code})}
    if parent_code:
        links["parent"] = link(request, "nodes", parent_code)
    if row.level == 1:
        links["measures"] = link(request, "measures", query={"feld": row.key})
    elif row.level in (2, 3):
        name = "leitziel" if row.level == 2 else "teilziel"
        links["measures"] = link(request, "measures", query={name: row.key})
    return {
        "code": row.code,
        "level": row.level,
        "level_name": plan.level_name(row.level),
        "label": row.label,
        "text": row.text,
        "pages": row.pages,
        "colour": row.colour,
        "parent": parent_code,
        "url": link(request, "nodes", row.code),
        "links": links,
    }


def key_project(request: HttpRequest, row: KeyProject) -> dict[str, Any]:
    slug = key_project_slug(row.code)
    return {
        "code": row.code,
        "slug": slug,
        "field_number": row.field_number,
        "url": link(request, "key-projects", slug),
        "links": {"measures": link(request, "measures", query={"sv": row.code})},
    }


def reporting_round(request: HttpRequest, row: ReportingRound) -> dict[str, Any]:
    return {
        "slug": row.slug,
        "name": row.name,
        "reporting_date": row.reporting_date,
        "deadline": row.deadline,
        "state": row.state,
        "closed_at": row.closed_at,
        "amended_after_closing": row.was_reopened and not row.is_open,
        "url": link(request, "rounds", row.slug),
        "links": {"reports": link(request, "reports", query={"runde": row.slug})},
    }


def current_status(request: HttpRequest, report: StatusReport | None) -> dict[str, Any] | None:
    """The status a measure shows, from the report `giving_status` chose (or None)."""
    if report is None:
        return None
    status = report.status
    return {
        "key": status.key if status else None,
        "label": status.label if status else None,
        "progress": report.progress,
        "round": report.reporting_round.slug,
        "round_name": report.reporting_round.name,
        "reporting_date": report.reporting_round.reporting_date,
        "organisation": report.organisation.abbreviation,
        "report": link(request, "reports", report.pk),
    }


def report(request: HttpRequest, row: StatusReport) -> dict[str, Any]:
    return {
        "id": row.pk,
        "measure": row.measure.number,
        "round": row.reporting_round.slug,
        "organisation": row.organisation.abbreviation,
        "state": row.state,
        "version": row.version,
        "status": row.status.key if row.status else None,
        "status_label": row.status.label if row.status else None,
        "progress": row.progress,
        "summary": row.summary,
        "next_steps": row.next_steps,
        "obstacles": row.obstacles,
        "funding_programme": row.funding_programme,
        "funding_state": row.funding_state,
        "funding_amount": row.funding_amount,
        "expected_completion": row.expected_completion,
        "return_comment": row.return_comment,
        "submitted_at": row.submitted_at,
        "approved_at": row.approved_at,
        "published_at": row.published_at,
        "url": link(request, "reports", row.pk),
        "links": {
            "measure": link(request, "measures", row.measure.number),
            "round": link(request, "rounds", row.reporting_round.slug),
            "organisation": link(request, "organisations", row.organisation.abbreviation),
        },
    }


REPORT_RELATIONS = ("measure", "reporting_round", "organisation", "status")
