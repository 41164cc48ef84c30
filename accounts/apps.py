"""App configuration of `accounts`."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, roles and demo accounts."""

    name = "accounts"
    verbose_name = _("Accounts")
