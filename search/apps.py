"""Full-text search over the catalogue."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """German full-text search: FTS5 on SQLite, pg_trgm on PostgreSQL."""

    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        """Have every write of the catalogue keep the search index current (plans sits below
        search and cannot call it; this is the one place that connects them)."""
        from plans.services import register_catalogue_index

        from .index import update_index

        register_catalogue_index(update_index)
