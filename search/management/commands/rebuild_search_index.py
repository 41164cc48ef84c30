"""kek rebuild-search-index: build the search index of the plans anew (after an upgrade)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from plans.models import Plan
from search.index import rebuild_index
from search.models import SearchEntry


class Command(BaseCommand):
    help = _(
        "Rebuilds the search index of every plan. The catalogue's writes keep it current; "
        "this is for a database migrated from a version that built it on demand."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", help=_("Only the plan with this slug"))
        parser.add_argument(
            "--missing", action="store_true", help=_("Only plans without any search entry")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plans = Plan.objects.order_by("slug")
        if options["plan"]:
            plans = plans.filter(slug=options["plan"])
        if options["missing"]:
            plans = plans.exclude(pk__in=SearchEntry.objects.values("plan_id"))
        for plan in plans:
            count = rebuild_index(plan.pk)
            if options["verbosity"] > 0:
                self.stdout.write(
                    _("Plan “%(slug)s”: %(count)d search entries.")
                    % {"slug": plan.slug, "count": count}
                )
