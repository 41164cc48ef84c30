"""The shapes of the indicators' and Gemeinden's answers (the rest is in api/schemas.py)."""

from __future__ import annotations

import datetime

from ninja import Schema
from pydantic import Field

from .schemas import Page


class TargetOut(Schema):
    year: int
    value: float


class YearValue(Schema):
    year: int
    value: float


class AttainmentOut(Schema):
    """Whether the indicator is on track to its target (indicators/attainment.py)."""

    status: str = Field(description="on_track, off_track, reached, … (indicators/attainment.py)")
    symbol: str
    sentence: str = Field(description="The German sentence the portal shows")


class IndicatorOut(Schema):
    slug: str
    name: str
    short_name: str
    unit: str
    definition: str
    source: str
    licence: str
    direction: str
    band_low: float | None
    band_high: float | None
    precision: int
    version: int = Field(description="Version of the definition")
    targets: list[TargetOut]
    goals: list[str] = Field(description="Codes of the linked Leitziele and Teilziele")
    measures: list[str] = Field(description="Numbers of the linked measures")
    latest: YearValue | None = Field(description="The county's newest value")
    attainment: AttainmentOut
    url: str
    links: dict[str, str]


class IndicatorList(Page):
    results: list[IndicatorOut]


class IndicatorDetail(IndicatorOut):
    county_series: list[YearValue] = Field(description="The county's values, oldest first")


class IndicatorValueOut(Schema):
    ags: str = Field(description="14729 for the county, 8 digits for a Gemeinde")
    year: int
    reference_date: datetime.date | None
    value: float
    definition_version: int
    source: str


class IndicatorValueList(Page):
    results: list[IndicatorValueOut]


class MunicipalityOut(Schema):
    ags: str
    name: str
    area_km2: float
    area_date: datetime.date
    url: str
    links: dict[str, str]


class MunicipalityList(Page):
    results: list[MunicipalityOut]


class MunicipalityFigureOut(Schema):
    """An indicator's newest value in the Gemeinde beside the county's value of that year."""

    indicator: str = Field(description="Slug of the indicator")
    name: str
    unit: str
    year: int
    value: float
    county_value: float | None


class MunicipalityDetail(MunicipalityOut):
    figures: list[MunicipalityFigureOut]
    measures: list[str] = Field(description="Numbers of the measures concerning the Gemeinde")
