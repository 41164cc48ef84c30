"""App configuration of `accounts`."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, roles and demo accounts."""

    name = "accounts"
    verbose_name = _("Accounts")


class BackOfficeAdminConfig(admin_apps.AdminConfig):
    """Django's admin with `accounts.back_office.BackOfficeSite` as `admin.site`."""

    default = False  # named in INSTALLED_APPS; `AccountsConfig` stays the app's default
    default_site = "accounts.back_office.BackOfficeSite"
