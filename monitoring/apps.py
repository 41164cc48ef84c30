"""App configuration of `monitoring`."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    """Reporting rounds, status reports, their review, publication and audit trail."""

    name = "monitoring"
    verbose_name = _("Implementation monitoring")
