"""App configuration of the public portal."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        """Have every committed change of a plan rebuild its open-data files (plans sits below
        the portal and cannot call it; this is the one place that connects them)."""
        from django.db import transaction

        from plans.services import (
            CatalogueChange,
            register_catalogue_index,
            register_plan_change_listener,
        )

        from .download_store import rebuild_after_change

        def after_catalogue_change(change: CatalogueChange) -> None:
            # An import changes the catalogue without mark_plan_changed.
            transaction.on_commit(lambda: rebuild_after_change(change.plan_id))

        register_plan_change_listener(rebuild_after_change)
        register_catalogue_index(after_catalogue_change)
