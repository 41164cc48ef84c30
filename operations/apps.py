"""App configuration of `operations`: running KEK-Monitor in production."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Health check, database outage page, deployment checks, backup and restore, logging."""

    name = "operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from operations import checks  # noqa: F401  (registers the deployment checks)
