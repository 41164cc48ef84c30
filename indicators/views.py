"""Public pages of the indicators and the Gemeinden (wrapped in the portal's page cache by the
project's URL configuration: each view is called as `view(request, plan, …)`)."""

from __future__ import annotations

import csv
import io

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from indicators import reads
from indicators.chart import line_chart
from indicators.choropleth import Choropleth, choropleth
from indicators.contribution_reads import contributions_of_municipality
from indicators.display import format_value, german_sort_key
from indicators.models import COUNTY_AGS, COUNTY_NAME, Indicator, IndicatorValue, Municipality
from indicators.register_reads import municipality_registers
from monitoring.status_cells import with_statuses
from plans.models import Plan

BOUNDARY_ATTRIBUTION = (
    "Gemeindegrenzen, Einwohnerzahlen und Flächen: © GeoBasis-DE / BKG (2025), "
    "Datenlizenz Deutschland – Namensnennung – Version 2.0; Datensatz VG250-EW; "
    "Daten verändert (Auswahl Landkreis Leipzig, Generalisierung)."
)
DEFAULT_MAP_INDICATOR = "bevoelkerungsdichte"


def _crumbs(*pairs: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Start"), reverse("portal:start")), *pairs]


def _year(request: HttpRequest, years: list[int]) -> int | None:
    """The year asked for with ?jahr= if it has values, else the newest."""
    asked = request.GET.get("jahr", "")
    if asked.isdigit() and int(asked) in years:
        return int(asked)
    return years[0] if years else None


def _map_of(
    indicator: Indicator, year: int | None, municipalities: list[Municipality]
) -> tuple[Choropleth | None, list[tuple[Municipality, str, str]]]:
    """The map and its table (Gemeinde, value text, link) of the indicator in the year."""
    if year is None or not municipalities:
        return None, []
    values = reads.values_of_year(indicator, year)

    def link(ags: str) -> str:
        return reverse("indicators:municipality", args=[ags])

    drawn = choropleth(
        municipalities, values, precision=indicator.precision, unit=indicator.unit, link=link
    )
    rows = [
        (m, format_value(values.get(m.ags), indicator.precision), link(m.ags))
        for m in municipalities
    ]
    return drawn, rows


def indicator_list(request: HttpRequest, plan: Plan) -> HttpResponse:
    """All indicators grouped by Leitziel, each with its latest value and attainment."""
    return render(
        request,
        "indicators/indicator_list.html",
        {
            "plan": plan,
            "groups": reads.indicator_overview(plan),
            "breadcrumbs": _crumbs((_("Indicators"), None)),
        },
    )


def indicator(request: HttpRequest, plan: Plan, slug: str) -> HttpResponse:
    """One indicator: chart with targets, table, map of a year, definition and links."""
    item = get_object_or_404(
        Indicator.objects.prefetch_related("targets", "measures", "goals__parent", "definitions"),
        plan=plan,
        slug=slug,
    )
    series = reads.county_series([item.pk]).get(item.pk, [])
    summary = reads.summarise(item, series)
    targets = [(t.year, t.value) for t in item.targets.all()]
    years = reads.years_with_municipality_values(item)
    year = _year(request, years)
    municipalities = sorted(Municipality.objects.all(), key=lambda m: german_sort_key(m.name))
    drawn, map_rows = _map_of(item, year, municipalities)
    return render(
        request,
        "indicators/indicator.html",
        {
            "plan": plan,
            "indicator": item,
            "summary": summary,
            "chart": line_chart(series, targets, precision=item.precision, unit=item.unit),
            "series_rows": reads.county_values_with_provenance(item),
            "targets": [(y, format_value(v, item.precision)) for y, v in targets],
            "years": years,
            "year": year,
            "map": drawn,
            "map_rows": map_rows,
            "measures": sorted(item.measures.all(), key=lambda m: (m.field_part, m.seq)),
            "goals": sorted(item.goals.all(), key=lambda g: g.order),
            "definitions": list(item.definitions.all()),
            "county_name": COUNTY_NAME,
            "attribution": BOUNDARY_ATTRIBUTION,
            "breadcrumbs": _crumbs(
                (_("Indicators"), reverse("indicators:indicator_list")), (item.name, None)
            ),
        },
    )


def indicator_csv(request: HttpRequest, plan: Plan, slug: str) -> HttpResponse:
    """The indicator's values in force as CSV in the long format (importable as it is)."""
    item = get_object_or_404(Indicator, plan=plan, slug=slug)
    names = dict(Municipality.objects.values_list("ags", "name"))
    names[COUNTY_AGS] = COUNTY_NAME
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["indicator", "ags", "year", "value", "source", "name", "unit", "version"])
    for value in IndicatorValue.objects.current().filter(indicator=item).order_by("ags", "year"):
        writer.writerow(
            [
                item.slug,
                value.ags,
                value.year,
                f"{value.value.normalize():f}",
                value.source_note,
                names.get(value.ags, ""),
                item.unit,
                value.definition_version,
            ]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}-{item.slug}.csv"'
    return response


def municipality_list(request: HttpRequest, plan: Plan) -> HttpResponse:
    """The Gemeinden as a list and on a map of a chosen indicator and year."""
    municipalities = sorted(Municipality.objects.all(), key=lambda m: german_sort_key(m.name))
    indicators = list(Indicator.objects.of_plan(plan))
    by_slug = {i.slug: i for i in indicators}
    chosen = by_slug.get(request.GET.get("indikator", "")) or by_slug.get(DEFAULT_MAP_INDICATOR)
    if chosen is None and indicators:
        chosen = indicators[0]
    years = reads.years_with_municipality_values(chosen) if chosen else []
    year = _year(request, years)
    drawn, map_rows = _map_of(chosen, year, municipalities) if chosen else (None, [])
    return render(
        request,
        "indicators/municipality_list.html",
        {
            "plan": plan,
            "municipalities": municipalities,
            "indicators": indicators,
            "indicator": chosen,
            "years": years,
            "year": year,
            "map": drawn,
            "map_rows": map_rows,
            "attribution": BOUNDARY_ATTRIBUTION,
            "breadcrumbs": _crumbs((_("Towns and municipalities"), None)),
        },
    )


def municipality(request: HttpRequest, plan: Plan, ags: str) -> HttpResponse:
    """A Gemeinde: its indicators against the county, and the measures that concern it."""
    if not (len(ags) == 8 and ags.isdigit()):
        raise Http404
    item = get_object_or_404(Municipality, ags=ags)
    measures, measure_total = reads.first_measures_for_municipality(plan, item)
    return render(
        request,
        "indicators/municipality.html",
        {
            "plan": plan,
            "municipality": item,
            "area_text": format_value(item.area_km2, 2),
            "figures": reads.municipality_figures(plan, ags),
            "measures": with_statuses(plan, measures),
            "measure_total": measure_total,
            "registers": municipality_registers(plan, ags),
            "contributions": contributions_of_municipality(plan, ags),
            "county_name": COUNTY_NAME,
            "attribution": BOUNDARY_ATTRIBUTION,
            "breadcrumbs": _crumbs(
                (_("Towns and municipalities"), reverse("indicators:municipality_list")),
                (item.name, None),
            ),
        },
    )
