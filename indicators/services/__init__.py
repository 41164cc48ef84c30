"""Writes of the indicators: definitions with their versions, values, the Gemeinden.

Views, the back office and the `kek indicators` command all call these functions; each
raises `IndicatorError` with a German message when it refuses.
"""

from .contributions import ContributionError, refusal, save_contribution
from .definitions import TargetSpec, define_indicator, record_redefinition
from .errors import IndicatorError, ValueImportError
from .municipalities import LoadResult, load_municipalities
from .registers import (
    EntryData,
    RegisterError,
    RegisterImportPreview,
    delete_entry,
    ensure_default_registers,
    import_register,
    read_register_file,
    refresh_aggregate,
    save_entry,
)
from .values import (
    ImportPreview,
    allowed_ags,
    import_values,
    import_values_of_municipality,
    read_value_file,
    value_rules,
)

__all__ = [
    "ContributionError",
    "EntryData",
    "ImportPreview",
    "IndicatorError",
    "LoadResult",
    "RegisterError",
    "RegisterImportPreview",
    "TargetSpec",
    "ValueImportError",
    "allowed_ags",
    "define_indicator",
    "delete_entry",
    "ensure_default_registers",
    "import_register",
    "import_values",
    "import_values_of_municipality",
    "load_municipalities",
    "read_register_file",
    "read_value_file",
    "record_redefinition",
    "refresh_aggregate",
    "refusal",
    "save_contribution",
    "save_entry",
    "value_rules",
]
