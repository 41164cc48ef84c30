"""Public, read-only operations on indicators, their values and the Gemeinden.

Every figure comes from the reads the portal's pages use (indicators/reads.py): the latest
county value and the attainment of /indikatoren/, the figures and measures of /gemeinden/<ags>/.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router
from pydantic import Field

from indicators import reads
from indicators.models import Indicator, IndicatorValue, Municipality
from indicators.reads import IndicatorSummary

from .. import indicator_schemas as schemas
from ..schemas import Problem
from .common import MAX_PAGE_SIZE, PAGE_SIZE, ApiProblem, current_plan, link, not_found, paginate

router = Router(tags=["indicators"])
PageNumber = Annotated[int, Field(ge=1, description="Page, from 1")]
PageSize = Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE, description="Entries per page")]
Year = Annotated[int, Field(ge=1800, le=2200, description="Year of the values")]
PROBLEMS = {400: Problem, 404: Problem, 429: Problem}


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _indicators(plan: Any) -> Any:
    return Indicator.objects.of_plan(plan).prefetch_related("targets", "goals", "measures")


def _indicator_out(request: HttpRequest, summary: IndicatorSummary) -> dict[str, Any]:
    indicator = summary.indicator
    assessment = summary.assessment
    return {
        "slug": indicator.slug,
        "name": indicator.name,
        "short_name": indicator.short_name,
        "unit": indicator.unit,
        "definition": indicator.definition,
        "source": indicator.source,
        "licence": indicator.licence,
        "direction": indicator.direction,
        "band_low": _number(indicator.band_low),
        "band_high": _number(indicator.band_high),
        "precision": indicator.precision,
        "version": indicator.version,
        "targets": [{"year": t.year, "value": float(t.value)} for t in indicator.targets.all()],
        "goals": sorted(goal.code for goal in indicator.goals.all()),
        "measures": sorted(measure.number for measure in indicator.measures.all()),
        "latest": (
            {"year": summary.latest_year, "value": float(summary.latest_value)}
            if summary.latest_year is not None and summary.latest_value is not None
            else None
        ),
        "attainment": {
            "status": str(assessment.status),
            "symbol": assessment.symbol,
            "sentence": summary.sentence,
        },
        "url": request.build_absolute_uri(summary.url),
        "links": {
            "self": link(request, "indicators", indicator.slug),
            "values": link(request, "indicators", indicator.slug, "values"),
        },
    }


def _indicator(slug: str) -> Indicator:
    indicator = _indicators(current_plan()).filter(slug=slug).first()
    if indicator is None:
        raise not_found(_("There is no indicator %(slug)s.") % {"slug": slug})
    return indicator


@router.get("/indicators/", response={200: schemas.IndicatorList, **PROBLEMS})
def indicator_list(
    request: HttpRequest, page: PageNumber = 1, page_size: PageSize = PAGE_SIZE
) -> dict[str, Any]:
    """The plan's indicators by name, each with its newest county value and its attainment."""
    rows, paging = paginate(request, _indicators(current_plan()), page, page_size)
    return {**paging, "results": [_indicator_out(request, s) for s in reads.summaries(rows)]}


@router.get("/indicators/{slug}/", response={200: schemas.IndicatorDetail, **PROBLEMS})
def indicator_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    """One indicator with its county values over the years."""
    indicator = _indicator(slug)
    series = reads.county_series([indicator.pk]).get(indicator.pk, [])
    return {
        **_indicator_out(request, reads.summarise(indicator, series)),
        "county_series": [{"year": year, "value": float(value)} for year, value in series],
    }


@router.get("/indicators/{slug}/values/", response={200: schemas.IndicatorValueList, **PROBLEMS})
def indicator_values(
    request: HttpRequest,
    slug: str,
    jahr: Year | None = None,
    ags: str | None = None,
    page: PageNumber = 1,
    page_size: PageSize = PAGE_SIZE,
) -> dict[str, Any]:
    """The values in force of the county (AGS 14729) and the Gemeinden, by year and AGS;
    `jahr` keeps one year, `ags` one area."""
    indicator = _indicator(slug)
    if ags is not None and not (ags.isdigit() and len(ags) in (5, 8)):
        raise ApiProblem(
            400, _("Bad request"), _("ags must be 14729 (the county) or an 8-digit AGS.")
        )
    values = IndicatorValue.objects.current().filter(indicator=indicator).order_by("year", "ags")
    if jahr is not None:
        values = values.filter(year=jahr)
    if ags is not None:
        values = values.filter(ags=ags)
    rows, paging = paginate(request, values, page, page_size)
    return {
        **paging,
        "results": [
            {
                "ags": row.ags,
                "year": row.year,
                "reference_date": row.reference_date,
                "value": float(row.value),
                "definition_version": row.definition_version,
                "source": row.source_note,
            }
            for row in rows
        ],
    }


def _municipality_out(request: HttpRequest, municipality: Municipality) -> dict[str, Any]:
    return {
        "ags": municipality.ags,
        "name": municipality.name,
        "area_km2": float(municipality.area_km2),
        "area_date": municipality.area_date,
        "url": request.build_absolute_uri(
            reverse("indicators:municipality", args=[municipality.ags])
        ),
        "links": {"self": link(request, "gemeinden", municipality.ags)},
    }


@router.get("/gemeinden/", response={200: schemas.MunicipalityList, **PROBLEMS})
def municipality_list(
    request: HttpRequest, page: PageNumber = 1, page_size: PageSize = PAGE_SIZE
) -> dict[str, Any]:
    """The Gemeinden of the county by name, identified by their AGS."""
    current_plan()
    municipalities = Municipality.objects.by_name().defer("boundary")
    rows, paging = paginate(request, municipalities, page, page_size)
    return {**paging, "results": [_municipality_out(request, m) for m in rows]}


@router.get("/gemeinden/{ags}/", response={200: schemas.MunicipalityDetail, **PROBLEMS})
def municipality_detail(request: HttpRequest, ags: str) -> dict[str, Any]:
    """A Gemeinde: every indicator's newest value beside the county's, and the measures that
    concern it (as on its portal page)."""
    plan = current_plan()
    municipality = Municipality.objects.filter(ags=ags).defer("boundary").first()
    if municipality is None:
        raise not_found(_("There is no Gemeinde with the AGS %(ags)s.") % {"ags": ags})
    figures = reads.municipality_figures(plan, ags)
    return {
        **_municipality_out(request, municipality),
        "figures": [
            {
                "indicator": figure.indicator.slug,
                "name": figure.indicator.name,
                "unit": figure.indicator.unit,
                "year": figure.year,
                "value": float(figure.value),
                "county_value": _number(figure.county_value),
            }
            for figure in figures
        ],
        "measures": [m.number for m in reads.measures_for_municipality(plan, municipality)],
    }
