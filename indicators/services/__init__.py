"""Writes of the indicators: definitions with their versions, values, the Gemeinden.

Views, the back office and the `kek indicators` command all call these functions; each
raises `IndicatorError` with a German message when it refuses.
"""

from .definitions import TargetSpec, define_indicator, record_redefinition
from .errors import IndicatorError, ValueImportError
from .municipalities import LoadResult, load_municipalities
from .values import ImportPreview, allowed_ags, import_values, read_value_file, value_rules

__all__ = [
    "ImportPreview",
    "IndicatorError",
    "LoadResult",
    "TargetSpec",
    "ValueImportError",
    "allowed_ags",
    "define_indicator",
    "import_values",
    "load_municipalities",
    "read_value_file",
    "record_redefinition",
    "value_rules",
]
