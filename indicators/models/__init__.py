"""Models of the indicators: Gemeinden, indicators with targets and versions, their values."""

from .indicator import Direction, Indicator, IndicatorDefinition, Target
from .municipality import COUNTY_AGS, COUNTY_NAME, MeasureMunicipality, Municipality
from .register import (
    MAY_BE_INTERNAL,
    EntryStatus,
    OwnerType,
    Quantity,
    Register,
    RegisterEntry,
)
from .value import IndicatorValue

__all__ = [
    "COUNTY_AGS",
    "COUNTY_NAME",
    "MAY_BE_INTERNAL",
    "Direction",
    "EntryStatus",
    "Indicator",
    "IndicatorDefinition",
    "IndicatorValue",
    "MeasureMunicipality",
    "Municipality",
    "OwnerType",
    "Quantity",
    "Register",
    "RegisterEntry",
    "Target",
]
