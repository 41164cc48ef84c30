"""Models of the indicators: Gemeinden, indicators with targets and versions, their values."""

from .indicator import Direction, Indicator, IndicatorDefinition, Target
from .municipality import COUNTY_AGS, COUNTY_NAME, MeasureMunicipality, Municipality
from .value import IndicatorValue

__all__ = [
    "COUNTY_AGS",
    "COUNTY_NAME",
    "Direction",
    "Indicator",
    "IndicatorDefinition",
    "IndicatorValue",
    "MeasureMunicipality",
    "Municipality",
    "Target",
]
