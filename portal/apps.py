"""App configuration of the public portal."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        """Have every committed change of a plan reach the page cache and rebuild the open-data
        files (plans sits below the portal and cannot call it; this is the one place that
        connects them). An import announces its change too (`catalogue_sync.write_plan`)."""
        from plans.services import register_plan_change_listener
        from portal.caching import hear_plan_change

        from .download_store import rebuild_after_change

        register_plan_change_listener(hear_plan_change)
        register_plan_change_listener(rebuild_after_change)
