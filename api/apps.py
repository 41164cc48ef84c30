"""App configuration of `api`."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API under /api/v1/ and the API tokens of the staff area."""

    name = "api"
    verbose_name = _("REST API")
