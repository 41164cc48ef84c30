"""Full-text search over the catalogue."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """German full-text search: FTS5 on SQLite, text search on PostgreSQL."""

    name = "search"
    verbose_name = _("Search")
