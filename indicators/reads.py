"""Reads of indicators for pages: summaries with attainment, series, values of a year.

`goal_attainment(plan, code)` is the read for a Leitziel page (see README): the attainment of
the indicators linked to the Leitziel or one of its Teilziele.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Q
from django.urls import reverse

from indicators.attainment import Assessment, assess
from indicators.display import attainment_sentence, format_value, provenance_text
from indicators.models import (
    COUNTY_AGS,
    Indicator,
    IndicatorValue,
    MeasureMunicipality,
    Municipality,
)
from plans.models import (
    Measure,
    Node,
    Organisation,
    Placement,
    PlacementLead,
    PlacementParticipant,
    Plan,
)
from plans.models.measure import MeasureQuerySet


@dataclass(frozen=True, slots=True)
class IndicatorSummary:
    """An indicator with its latest county value and its attainment, ready to show."""

    indicator: Indicator
    url: str
    latest_year: int | None
    latest_value: Decimal | None
    latest_text: str
    targets_text: str
    assessment: Assessment
    sentence: str


def county_series(indicator_ids: list[int]) -> dict[int, list[tuple[int, Decimal]]]:
    """Each indicator's county values as (year, value), oldest first (one query)."""
    series: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    rows = (
        IndicatorValue.objects.current()
        .filter(indicator_id__in=indicator_ids, ags=COUNTY_AGS)
        .order_by("year")
        .values_list("indicator_id", "year", "value")
    )
    for indicator_id, year, value in rows:
        series[indicator_id].append((year, value))
    return series


def summarise(indicator: Indicator, series: list[tuple[int, Decimal]]) -> IndicatorSummary:
    """The summary of one indicator from its county series (its targets prefetched or not)."""
    targets = [(t.year, t.value) for t in indicator.targets.all()]
    band = (
        (indicator.band_low, indicator.band_high)
        if indicator.band_low is not None and indicator.band_high is not None
        else None
    )
    assessment = assess(indicator.direction, series, targets, band)
    latest = series[-1] if series else None
    return IndicatorSummary(
        indicator=indicator,
        url=reverse("indicators:indicator", args=[indicator.slug]),
        latest_year=latest[0] if latest else None,
        latest_value=latest[1] if latest else None,
        latest_text=format_value(latest[1] if latest else None, indicator.precision),
        targets_text="; ".join(
            f"{format_value(value, indicator.precision)} ({year})" for year, value in targets
        ),
        assessment=assessment,
        sentence=attainment_sentence(assessment, indicator.unit, indicator.precision),
    )


def summaries(indicators: list[Indicator]) -> list[IndicatorSummary]:
    """Summaries of the indicators (their targets prefetched), in their order."""
    series = county_series([i.pk for i in indicators])
    return [summarise(indicator, series.get(indicator.pk, [])) for indicator in indicators]


def indicator_overview(plan: Plan) -> list[tuple[Node | None, list[IndicatorSummary]]]:
    """The plan's indicators grouped by Leitziel in document order (unlinked ones last)."""
    indicators = list(Indicator.objects.of_plan(plan).prefetch_related("targets", "goals__parent"))
    by_id = {s.indicator.pk: s for s in summaries(indicators)}
    groups: dict[Node | None, list[IndicatorSummary]] = defaultdict(list)
    for indicator in indicators:
        goals = {g if g.level == 2 else g.parent for g in indicator.goals.all()}
        for goal in goals or {None}:
            groups[goal].append(by_id[indicator.pk])
    return sorted(groups.items(), key=lambda item: (item[0] is None, item[0] and item[0].order))


def goal_attainment(plan: Plan, code: str) -> list[IndicatorSummary]:
    """The indicators of a Leitziel (linked to it or one of its Teilziele) with attainment."""
    indicators = list(
        Indicator.objects.of_plan(plan)
        .filter(Q(goals__code=code, goals__level=2) | Q(goals__parent__code=code, goals__level=3))
        .distinct()
        .prefetch_related("targets")
    )
    return summaries(indicators)


def values_of_year(indicator: Indicator, year: int) -> dict[str, Decimal]:
    """The Gemeinden's values of the indicator in the year, by AGS."""
    return dict(
        IndicatorValue.objects.current()
        .filter(indicator=indicator, year=year)
        .exclude(ags=COUNTY_AGS)
        .values_list("ags", "value")
    )


def years_with_municipality_values(indicator: Indicator) -> list[int]:
    """The years for which the indicator has values of Gemeinden, newest first."""
    return list(
        IndicatorValue.objects.current()
        .filter(indicator=indicator)
        .exclude(ags=COUNTY_AGS)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


@dataclass(frozen=True, slots=True)
class MunicipalityFigure:
    """An indicator's latest value in a Gemeinde beside the county's value of that year."""

    indicator: Indicator
    url: str
    year: int
    value: Decimal
    county_value: Decimal | None
    value_text: str
    county_text: str


def municipality_figures(plan: Plan, ags: str) -> list[MunicipalityFigure]:
    """Every indicator with a value for the Gemeinde: its latest, and the county's then.

    Reads the newest year per indicator first, then only the rows of those years (a Gemeinde
    with a hundred indicators over thirty years would otherwise load thousands of rows).
    """
    # No ordering: the default one joins the plan and sorts by indicator name for nothing.
    current = IndicatorValue.objects.current().filter(indicator__plan=plan).order_by()
    newest = dict(
        current.filter(ags=ags)
        .values("indicator_id")
        .annotate(newest=Max("year"))
        .values_list("indicator_id", "newest")
    )
    rows = current.filter(
        indicator_id__in=list(newest), ags__in=[ags, COUNTY_AGS], year__in=set(newest.values())
    ).values_list("indicator_id", "ags", "year", "value")
    latest: dict[int, Decimal] = {}
    county: dict[int, Decimal] = {}
    for indicator_id, row_ags, year, value in rows:
        if year == newest[indicator_id]:
            (latest if row_ags == ags else county)[indicator_id] = value
    return [
        MunicipalityFigure(
            indicator=indicator,
            url=reverse("indicators:indicator", args=[indicator.slug]),
            year=newest[indicator.pk],
            value=latest[indicator.pk],
            county_value=county.get(indicator.pk),
            value_text=format_value(latest[indicator.pk], indicator.precision),
            county_text=format_value(county.get(indicator.pk), indicator.precision),
        )
        for indicator in Indicator.objects.of_plan(plan).filter(pk__in=list(latest))
    ]


def measures_concerning(plan: Plan, ags: str) -> MeasureQuerySet:
    """Measures that concern the Gemeinde: tagged with it, naming it in their text, or led by
    or involving the municipalities ("Kommunen"). The Gemeinde page and the measure list's
    filter `?gemeinde=` both read this.

    Each way is a subquery (`IN`), not a join: joined, the five relations multiplied the rows
    (1,031 for 108 measures of KEK 2030) and needed DISTINCT, 6 ms on PostgreSQL for the list
    and as much again for its count.
    """
    name = Municipality.objects.filter(ags=ags).values_list("name", flat=True).first()
    if name is None:
        return Measure.objects.none()
    # "Kommunen" (no AGS) concern every Gemeinde; a Gemeinde's organisation its own.
    municipal = Organisation.objects.filter(
        plan=plan, kind=Organisation.Kind.MUNICIPALITY, ags__in=("", ags)
    ).values("pk")
    return Measure.objects.filter(plan=plan).filter(
        Q(pk__in=MeasureMunicipality.objects.filter(municipality__ags=ags).values("measure_id"))
        | Q(title__icontains=name)
        | Q(pk__in=Placement.objects.filter(title__icontains=name).values("measure_id"))
        | Q(
            pk__in=PlacementLead.objects.filter(organisation__in=municipal).values(
                "placement__measure_id"
            )
        )
        | Q(
            pk__in=PlacementParticipant.objects.filter(organisation__in=municipal).values(
                "placement__measure_id"
            )
        )
    )


def measures_for_municipality(plan: Plan, municipality: Municipality) -> list[Measure]:
    """The measures concerning the Gemeinde in number order (see `measures_concerning`)."""
    return list(measures_concerning(plan, municipality.ags).in_number_order())


# The Gemeinde page shows this many of its measures; the measure list (`?gemeinde=`) pages
# through all of them with filters, so the page grows with this, not with the plan.
MEASURES_SHOWN = 50


def first_measures_for_municipality(
    plan: Plan, municipality: Municipality, limit: int = MEASURES_SHOWN
) -> tuple[list[Measure], int]:
    """The first `limit` measures concerning the Gemeinde in number order, and how many
    concern it in all (two queries)."""
    concerning = measures_concerning(plan, municipality.ags)
    return list(concerning.in_number_order()[:limit]), concerning.count()


def municipality_choices() -> list[tuple[str, str]]:
    """(AGS, name) of every Gemeinde by name, for a filter."""
    return list(Municipality.objects.by_name().values_list("ags", "name"))


def county_values_with_provenance(indicator: Indicator) -> list[tuple[int, str, str]]:
    """The county's values in force, newest first, as (year, value text, provenance text)."""
    origins = dict(IndicatorValue.Origin.choices)
    rows = (
        IndicatorValue.objects.current()
        .filter(indicator=indicator, ags=COUNTY_AGS)
        .order_by("-year")
        .values_list("year", "value", "origin", "source_file", "source_row", "recorded_at")
    )
    return [
        (
            year,
            format_value(value, indicator.precision),
            provenance_text(str(origins.get(origin, origin)), file_name, row, recorded_at),
        )
        for year, value, origin, file_name, row, recorded_at in rows
    ]
