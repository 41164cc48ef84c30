"""Full-text search page: /suche/?q=…"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from monitoring.status_cells import status_cells
from plans.models import Measure, Plan
from portal.caching import public_page
from portal.slugs import key_project_slug
from portal.views.catalogue import levels
from search.models import SearchEntry
from search.query import Hit, SearchQuery, count_matches, hits_for, parse_query, ranked_page

MAX_QUERY = 200
PAGE_SIZE = 20


def hit_url(hit: Hit) -> str:
    """The portal page of a search hit."""
    entry = hit.entry
    if entry.kind == SearchEntry.Kind.MEASURE:
        return reverse("portal:measure", args=[entry.key])
    if entry.kind == SearchEntry.Kind.ORGANISATION:
        return reverse("portal:organisation", args=[entry.key])
    if entry.kind == SearchEntry.Kind.KEY_PROJECT:
        return reverse("portal:key_project", args=[key_project_slug(entry.key)])
    parts = entry.key.split(".")
    if len(parts) == 1:
        return reverse("portal:field", args=[int(entry.key)])
    goal = ".".join(parts[:2])
    anchor = f"#teilziel-{entry.key}" if len(parts) > 2 else ""
    return reverse("portal:goal", args=[goal]) + anchor


@require_safe
@public_page
def search_page(request: HttpRequest, plan: Plan) -> HttpResponse:
    """Search measures, goals and organisations; hits highlighted."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    parsed = SearchQuery(terms=[])
    hits: list[Hit] = []
    total = 0
    ids: list[int] | None = None
    requested = request.GET.get("page", "1")
    if query:
        # No index work here: the catalogue's writes keep it current (search.index).
        parsed = parse_query(plan, query)
        if requested.isdigit() and int(requested) >= 1:
            # One query gives the page and the total, except past the last page (no rows).
            ids, total = ranked_page(plan, parsed, PAGE_SIZE, (int(requested) - 1) * PAGE_SIZE)
            if not ids and int(requested) > 1:
                ids, total = None, count_matches(plan, parsed)
        else:
            total = count_matches(plan, parsed)
    # Paginator over a range: only the page's numbers are needed, the hits come from hits_for.
    page_obj = Paginator(range(total), PAGE_SIZE).get_page(requested)
    if total:
        offset = (page_obj.number - 1) * PAGE_SIZE
        hits = hits_for(plan, parsed, PAGE_SIZE, offset, ids=ids)
    kinds = dict(SearchEntry.Kind.choices)
    numbers = [hit.entry.key for hit in hits if hit.entry.kind == SearchEntry.Kind.MEASURE]
    measure_ids = dict(
        Measure.objects.filter(plan=plan, number__in=numbers).values_list("number", "pk")
    )
    cells = status_cells(plan, measure_ids.values())
    status_of = {number: cells[pk] for number, pk in measure_ids.items()}
    return render(
        request,
        "portal/search.html",
        {
            **levels(plan),
            "plan": plan,
            "query": query,
            "terms": parsed.terms,
            "hits": [
                (
                    hit,
                    hit_url(hit),
                    kinds[hit.entry.kind],
                    status_of.get(hit.entry.key)
                    if hit.entry.kind == SearchEntry.Kind.MEASURE
                    else None,
                )
                for hit in hits
            ],
            "page_obj": page_obj,
            "total": total,
            "breadcrumbs": [(_("Start"), reverse("portal:start")), (_("Search"), None)],
        },
    )
