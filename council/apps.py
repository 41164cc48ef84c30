"""App configuration of `council`."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    """Kreistag papers (Drucksachen) cited by measures, entered by hand or synced over OParl."""

    name = "council"
    verbose_name = _("Kreistag decisions")
