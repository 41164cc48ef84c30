"""App configuration of `reports`."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The progress report (Umsetzungsbericht) of a reporting round, as HTML and PDF."""

    name = "reports"
    verbose_name = _("Progress reports")
