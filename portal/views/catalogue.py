"""The plan as pages: start, fields, goals, measures and the filterable measure list."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from indicators.contribution_reads import contribution_tally
from indicators.reads import goal_attainment
from monitoring import reads as monitoring_reads
from monitoring import rollups
from monitoring.status_cells import StatusCell, status_cells
from plans.models import Placement, Plan, representative_row
from portal import catalogue_reads as reads
from portal.caching import public_measure_page, public_page
from portal.headline import headline
from portal.measure_filters import MeasureFilterForm
from portal.paging import PAGE_PARAMETER, page_number
from portal.rollup_blocks import Group, rollup_block

PAGE_SIZE = 50
Facet = rollups.Facet


@dataclass(frozen=True, slots=True)
class ListRow:
    """One measure in the measure list, each cell as text."""

    number: str
    url: str
    title: str
    commission: bool
    lead: str
    priority: str
    fields: str
    status: StatusCell


@dataclass(frozen=True, slots=True)
class PlacementRow:
    """One placement in the lists of a goal or sub-goal page, each part as text."""

    number: str
    url: str
    title: str
    building_block: bool
    lead: str
    priority: str
    priority_title: str
    interlinked: bool
    status: StatusCell


def placement_rows(
    groups: list[tuple[Any, list[Placement]]], cells: dict[int, StatusCell]
) -> list[tuple[Any, list[PlacementRow]]]:
    """The groups' placements as rows with their status cells.

    The texts are made here: the template's per-row tags and filters (URL, truncation,
    translated priority) took more time than everything else a row shows.
    """
    return [
        (
            node,
            [
                PlacementRow(
                    number=p.measure.number,
                    url=reverse("portal:measure", args=[p.measure.number]),
                    title=Truncator(p.title or p.measure.title).words(40, truncate=" …"),
                    building_block=p.parent_id is not None,
                    lead=p.lead,
                    priority=p.priority,
                    priority_title=_("Priority %(p)s") % {"p": p.priority},
                    interlinked=p.measure.home_field != p.field_number,
                    status=cells[p.measure_id],
                )
                for p in placements
            ],
        )
        for node, placements in groups
    ]


def _start_crumb() -> tuple[str, str]:
    return (_("Start"), reverse("portal:start"))


def levels(plan: Plan) -> dict[str, str]:
    """The plan's own names of its hierarchy levels, as level_1 … level_4 for templates."""
    return {f"level_{n}": plan.level_name(n) for n in range(1, 5)}


@require_safe
@public_page
def start(request: HttpRequest, plan: Plan) -> HttpResponse:
    """The plan's fields in their colours with their goals and measure counts."""
    fields = reads.tree(plan, max_level=2)
    overview = rollups.rollups(plan, rollups.Facet.FIELD)
    return render(
        request,
        "portal/catalogue/start.html",
        {
            **levels(plan),
            "plan": plan,
            "fields": fields,
            "measure_total": overview.whole_plan.total,
            "overview": overview,
            "headline": headline(plan),
        },
    )


@require_safe
@public_page
def field(request: HttpRequest, plan: Plan, number: int) -> HttpResponse:
    """A field with its goals and their subgoals."""
    roots = [f for f in reads.tree(plan, max_level=3) if f.node.key == str(number)]
    if not roots:
        raise Http404
    field_entry = roots[0]
    node = field_entry.node
    return render(
        request,
        "portal/catalogue/field.html",
        {
            **levels(plan),
            "plan": plan,
            "node": node,
            "goals": field_entry.children,
            "rollup": rollup_block(
                plan,
                "stand",
                [Group(Facet.FIELD, node.key, f"{plan.level_name(1)} {node.code}")]
                + [
                    Group(Facet.GOAL, g.node.key, f"{plan.level_name(2)} {g.node.code}")
                    for g in field_entry.children
                ],
            ),
            "breadcrumbs": [_start_crumb(), (f"{node.code} {node.label}", None)],
        },
    )


@require_safe
@public_page
def goal(request: HttpRequest, plan: Plan, code: str) -> HttpResponse:
    """A goal: its subgoals with long texts, approaches and a page of the measures there."""
    page = reads.goal_page(plan, code, page_number(request), PAGE_SIZE)
    node = page.goal
    field_node = node.parent
    assert field_node is not None  # a Leitziel stands in a field
    cells = status_cells(plan, {p.measure_id for p in page.page.object_list})
    sections = [
        (
            section.subgoal.node,
            placement_rows(section.groups, cells),
            section.total,
            section.first_page,
        )
        for section in page.sections
    ]
    return render(
        request,
        "portal/catalogue/goal.html",
        {
            **levels(plan),
            "plan": plan,
            "node": node,
            "field_node": field_node,
            "sections": sections,
            "page_obj": page.page,
            "page_parameter": PAGE_PARAMETER,
            # Where the Leitziel stands: its indicators' attainment beside the roll-up below.
            "indicator_summaries": goal_attainment(plan, node.code),
            "rollup": rollup_block(
                plan,
                "stand",
                [Group(Facet.GOAL, node.key, f"{plan.level_name(2)} {node.code}")]
                + [
                    Group(Facet.SUBGOAL, s.node.key, f"{plan.level_name(3)} {s.node.code}")
                    for s in page.subgoals
                ],
            ),
            "breadcrumbs": [
                _start_crumb(),
                (
                    f"{field_node.code} {field_node.label}",
                    reverse("portal:field", args=[int(field_node.key)]),
                ),
                (f"{plan.level_name(2)} {node.code}", None),
            ],
        },
    )


@require_safe
@public_page
def subgoal(request: HttpRequest, plan: Plan, code: str) -> HttpResponse:
    """A sub-goal: its long text, its approaches and the measures placed there with statuses."""
    page = reads.subgoal_page(plan, code, page_number(request), PAGE_SIZE)
    node = page.subgoal
    goal_node = node.parent
    assert goal_node is not None and goal_node.parent is not None  # goal and field above it
    field_node = goal_node.parent
    cells = status_cells(plan, {p.measure_id for _n, rows in page.groups for p in rows})
    groups = placement_rows(page.groups, cells)
    return render(
        request,
        "portal/catalogue/subgoal.html",
        {
            **levels(plan),
            "plan": plan,
            "node": node,
            "goal_node": goal_node,
            "field_node": field_node,
            "approaches": page.approaches,
            "groups": groups,
            "page_obj": page.page,
            "page_parameter": PAGE_PARAMETER,
            "rollup": rollup_block(
                plan,
                "stand",
                [Group(Facet.SUBGOAL, node.key, f"{plan.level_name(3)} {node.code}")],
            ),
            "breadcrumbs": [
                _start_crumb(),
                (
                    f"{field_node.code} {field_node.label}",
                    reverse("portal:field", args=[int(field_node.key)]),
                ),
                (
                    f"{plan.level_name(2)} {goal_node.code}",
                    reverse("portal:goal", args=[goal_node.key]),
                ),
                (f"{plan.level_name(3)} {node.code}", None),
            ],
        },
    )


@require_safe
@public_measure_page
def measure(request: HttpRequest, plan: Plan, number: str) -> HttpResponse:
    """A measure with every placement in the plan, its steps, organisations and SV links."""
    page = reads.measure_page(plan, number)
    reports = monitoring_reads.published_history(page.measure)
    return render(
        request,
        "portal/catalogue/measure.html",
        {
            **levels(plan),
            "plan": plan,
            "page": page,
            "m": page.measure,
            "placements": page.placements,
            "breadcrumbs": [
                _start_crumb(),
                (_("Measures"), reverse("portal:measure_list")),
                (page.measure.number, None),
            ],
            "home_field": page.home_field,
            "reports": reports,
            "current": reports[0] if reports else None,
            # Measures led by "Kommunen": the Gemeinden's statements („in 12 von 30 …“).
            "contribution_tally": contribution_tally(page.measure),
        },
    )


@require_safe
@public_page
def measure_list(request: HttpRequest, plan: Plan) -> HttpResponse:
    """All measures, filtered by the URL's query; htmx requests get the results only."""
    form = MeasureFilterForm(request.GET or None, plan=plan)
    matches: Any = form.matches()  # a QuerySet or MatchingIds: both count() and slice
    page_obj = Paginator(matches, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page_obj.object_list)
    rows_of: dict[int, list[Placement]] = defaultdict(list)
    for placement in (
        Placement.objects.filter(measure__in=shown)
        .in_document_order()
        .only("measure_id", "field_number", "lead", "priority", "parent_id")
    ):
        rows_of[placement.measure_id].append(placement)
    statuses = status_cells(plan, [m.pk for m in shown])
    rows = []
    # Each cell's text made here: per-row filters and conditions were half the render time.
    for m in shown:
        shown_row = representative_row(rows_of[m.pk], m.home_field)
        rows.append(
            ListRow(
                number=m.number,
                url=reverse("portal:measure", args=[m.number]),
                title=Truncator(m.title).words(30, truncate=" …"),
                commission=m.commission,
                lead=(shown_row.lead if shown_row else "") or "–",
                priority=(shown_row.priority if shown_row else "") or "–",
                fields=", ".join(map(str, sorted({p.field_number for p in rows_of[m.pk]}))),
                status=statuses[m.pk],
            )
        )
    template = (
        "portal/catalogue/partials/measure_results.html"
        if request.headers.get("HX-Request")
        else "portal/catalogue/measure_list.html"
    )
    return render(
        request,
        template,
        {
            **levels(plan),
            "plan": plan,
            "form": form,
            "rows": rows,
            "page_obj": page_obj,
            "breadcrumbs": [_start_crumb(), (_("Measures"), None)],
        },
    )
