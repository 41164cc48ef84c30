"""App configuration of the public portal."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        """Have every committed change of a plan rebuild its open-data files (plans sits below
        the portal and cannot call it; this is the one place that connects them)."""
        from plans.services import register_catalogue_index, register_plan_change_listener

        from .download_store import rebuild_after_catalogue_change, rebuild_after_change

        register_plan_change_listener(rebuild_after_change)
        register_catalogue_index(rebuild_after_catalogue_change)
