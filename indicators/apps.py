"""App configuration of `indicators`."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    """Indicators with targets, their values per Gemeinde and year, and the Gemeinden."""

    name = "indicators"
    verbose_name = _("Indicators")
