"""The plan as pages: start, fields, goals, measures and the filterable measure list."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from monitoring import reads as monitoring_reads
from plans.models import Placement, Plan
from portal import catalogue_reads as reads
from portal.caching import public_page
from portal.links import measure_link_builder, organisation_link_builder
from portal.measure_filters import MeasureFilterForm
from portal.slugs import key_project_slug

PAGE_SIZE = 50


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
    status: str


def _start_crumb() -> tuple[str, str]:
    return (_("Start"), reverse("portal:start"))


def levels(plan: Plan) -> dict[str, str]:
    """The plan's own names of its hierarchy levels, as level_1 … level_4 for templates."""
    return {f"level_{n}": plan.level_name(n) for n in range(1, 5)}


@require_safe
@public_page
def start(request: HttpRequest) -> HttpResponse:
    """The plan's fields in their colours with their goals and measure counts."""
    plan = request.plan
    fields = reads.tree(plan, max_level=2)
    counts = reads.measure_counts(plan)
    for node in fields:
        node.measure_count = counts.fields.get(int(node.key), 0)
        for goal_node in node.children_list:
            goal_node.measure_count = counts.goals.get(goal_node.key, 0)
    overview = monitoring_reads.status_overview(plan)
    return render(
        request,
        "portal/catalogue/start.html",
        {
            **levels(plan),
            "plan": plan,
            "fields": fields,
            # The overview counts every measure once (by home field): no query of its own.
            "measure_total": sum(total for *_counts, total in overview.rows),
            "overview": overview,
        },
    )


@require_safe
@public_page
def field(request: HttpRequest, number: int) -> HttpResponse:
    """A field with its goals and their subgoals."""
    plan = request.plan
    roots = [f for f in reads.tree(plan, max_level=3) if f.key == str(number)]
    if not roots:
        raise Http404
    node = roots[0]
    goal_counts = reads.measure_counts(plan).goals
    for goal_node in node.children_list:
        goal_node.measure_count = goal_counts.get(goal_node.key, 0)
    return render(
        request,
        "portal/catalogue/field.html",
        {
            **levels(plan),
            "plan": plan,
            "node": node,
            "breadcrumbs": [_start_crumb(), (f"{node.code} {node.label}", None)],
        },
    )


@require_safe
@public_page
def goal(request: HttpRequest, code: str) -> HttpResponse:
    """A goal: its subgoals with long texts, approaches and the measures placed there."""
    plan = request.plan
    node, subgoals, placements = reads.goal_page(plan, code)
    link = measure_link_builder()
    for rows in placements.values():
        for p in rows:
            p.url = link(p.measure.number)
    field_node = node.parent
    sections = []
    for subgoal in subgoals:
        groups = [(subgoal, placements.get(subgoal.pk, []))]
        groups += [(a, placements.get(a.pk, [])) for a in subgoal.children_list]
        sections.append((subgoal, [g for g in groups if g[1]]))
    return render(
        request,
        "portal/catalogue/goal.html",
        {
            **levels(plan),
            "plan": plan,
            "node": node,
            "field_node": field_node,
            "sections": sections,
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
def measure(request: HttpRequest, number: str) -> HttpResponse:
    """A measure with every placement in the plan, its steps, organisations and SV links."""
    plan = request.plan
    page = reads.measure_page(plan, number)
    home = page.fields.get(page.measure.home_field)
    # Links made here: the page's fifty {% url %} tags took a tenth of its time.
    goal_urls: dict[str, str] = {}
    organisation_link = organisation_link_builder()
    for p in page.placements:
        if p.goal_code not in goal_urls:
            goal_urls[p.goal_code] = reverse("portal:goal", args=[p.goal_code])
        p.goal_url = goal_urls[p.goal_code]
        for o in (*page.leads.get(p.pk, []), *page.participants.get(p.pk, [])):
            o.url = organisation_link(o.abbreviation)
    for k in page.key_projects:
        k.url = reverse("portal:key_project", args=[key_project_slug(k.code)])
    return render(
        request,
        "portal/catalogue/measure.html",
        {
            **levels(plan),
            "plan": plan,
            "page": page,
            "m": page.measure,
            "placements": [
                (
                    p,
                    page.steps.get(p.pk, []),
                    page.leads.get(p.pk, []),
                    page.participants.get(p.pk, []),
                )
                for p in page.placements
            ],
            "breadcrumbs": [
                _start_crumb(),
                (_("Measures"), reverse("portal:measure_list")),
                (page.measure.number, None),
            ],
            "home_field": home,
            "reports": monitoring_reads.measure_history(page.measure),
        },
    )


@require_safe
@public_page
def measure_list(request: HttpRequest) -> HttpResponse:
    """All measures, filtered by the URL's query; htmx requests get the results only."""
    plan = request.plan
    form = MeasureFilterForm(request.GET or None, plan=plan)
    page_obj = Paginator(form.matches(), PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page_obj.object_list)
    summary: dict[int, dict] = defaultdict(lambda: {"fields": set(), "first": None})
    for measure_id, field_number, lead, priority, parent_id in (
        Placement.objects.filter(measure__in=shown)
        .in_document_order()
        .values_list("measure_id", "field_number", "lead", "priority", "parent_id")
    ):
        entry = summary[measure_id]
        entry["fields"].add(field_number)
        if entry["first"] is None and parent_id is None:
            entry["first"] = {"lead": lead, "priority": priority}
    statuses = monitoring_reads.latest_statuses(plan, [m.pk for m in shown])
    link = measure_link_builder()  # the {% url %} tag took a tenth of the page's time
    no_report = _("no report yet")
    rows = []
    # Each cell's text made here: per-row filters and conditions were half the render time.
    for m in shown:
        first = summary[m.pk]["first"] or {}
        report = statuses.get(m.pk)
        if report is None:
            status = no_report
        elif report.progress is None:
            status = report.label
        else:
            status = f"{report.label} ({report.progress} %)"
        rows.append(
            ListRow(
                number=m.number,
                url=link(m.number),
                title=Truncator(m.title).words(30, truncate=" …"),
                commission=m.commission,
                lead=first.get("lead") or "–",
                priority=first.get("priority") or "–",
                fields=", ".join(map(str, sorted(summary[m.pk]["fields"]))),
                status=status,
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
