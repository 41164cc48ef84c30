"""App configuration of `sitexport`."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitexportConfig(AppConfig):
    """`kek export-site`: the public portal as static files."""

    name = "sitexport"
    verbose_name = _("Static site export")
