"""Models of the indicators: Gemeinden, indicators with targets and versions, their values."""

from .contribution import CONTRIBUTION_TEXT_LIMIT, MunicipalContribution
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
    "CONTRIBUTION_TEXT_LIMIT",
    "COUNTY_AGS",
    "COUNTY_NAME",
    "MAY_BE_INTERNAL",
    "Direction",
    "EntryStatus",
    "Indicator",
    "IndicatorDefinition",
    "IndicatorValue",
    "MeasureMunicipality",
    "MunicipalContribution",
    "Municipality",
    "OwnerType",
    "Quantity",
    "Register",
    "RegisterEntry",
    "Target",
]
