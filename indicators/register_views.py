"""Public pages of the registers: /kataster/ and /kataster/<slug>/ (only the public fields).

Wrapped in the portal's page cache by the project's URL configuration like `views`.
"""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from indicators import reads
from indicators.choropleth import Choropleth
from indicators.display import german_sort_key
from indicators.models import MAY_BE_INTERNAL, Municipality, Register
from indicators.register_reads import public_entries_page
from indicators.views import BOUNDARY_ATTRIBUTION, _crumbs, _map_of
from plans.models import Plan


def register_list(request: HttpRequest, plan: Plan) -> HttpResponse:
    """The registers with their number of entries and their aggregate indicator."""
    registers = Register.objects.filter(plan=plan).annotate(entry_count=Count("entries"))
    rows = []
    for register in registers.select_related("indicator"):
        summary = reads.summaries([register.indicator])[0] if register.indicator else None
        rows.append((register, summary))
    return render(
        request,
        "indicators/register_list.html",
        {"plan": plan, "rows": rows, "breadcrumbs": _crumbs((_("Registers"), None))},
    )


def register(request: HttpRequest, plan: Plan, slug: str) -> HttpResponse:
    """A register: the map of its aggregate indicator and its entries' public fields, paged
    (`?page=`) and filtered by Gemeinde (`?gemeinde=<ags>`)."""
    item = get_object_or_404(Register.objects.select_related("indicator"), plan=plan, slug=slug)
    drawn: Choropleth | None = None
    map_rows: list[tuple[Municipality, str, str]] = []
    year: int | None = None
    if item.indicator is not None:
        years = reads.years_with_municipality_values(item.indicator)
        year = years[0] if years else None
        municipalities = sorted(Municipality.objects.all(), key=lambda m: german_sort_key(m.name))
        drawn, map_rows = _map_of(item.indicator, year, municipalities)
    choices = reads.municipality_choices()
    ags = request.GET.get("gemeinde", "")
    chosen = ags if ags in {code for code, _name in choices} else ""
    page, entries = public_entries_page(item, chosen, request.GET.get("page"))
    return render(
        request,
        "indicators/register.html",
        {
            "plan": plan,
            "register": item,
            "indicator": item.indicator,
            "entries": entries,
            "page_obj": page,
            "municipality_choices": choices,
            "chosen_ags": chosen,
            "shown": {name: item.is_public(name) for name in MAY_BE_INTERNAL},
            "map": drawn,
            "map_rows": map_rows,
            "year": year,
            "attribution": BOUNDARY_ATTRIBUTION,
            "breadcrumbs": _crumbs(
                (_("Registers"), reverse("indicators:register_list")), (item.name, None)
            ),
        },
    )
