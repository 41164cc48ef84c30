"""App configuration of the public portal."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        """Have the page cache hear every committed change of a plan (portal/caching.py)."""
        from plans.services import register_plan_change_listener
        from portal.caching import hear_plan_change

        register_plan_change_listener(hear_plan_change)
