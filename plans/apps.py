"""App configuration of `plans`."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """The catalogue: plans, their hierarchy, measures and where the document places them."""

    name = "plans"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from plans.kept import remember_status_change
        from plans.services.revisions import register_plan_change_listener

        register_plan_change_listener(remember_status_change)
