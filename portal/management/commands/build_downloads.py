"""kek build-downloads: build the open-data files of the plans now (a job, or after a restore)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from plans.models import Plan
from portal.download_store import build_downloads, run_in_background


class Command(BaseCommand):
    help = _(
        "Builds the open-data files of every plan whose files are older than the plan. Every "
        "published change rebuilds them by itself; this is for a job or a restore."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", help=_("Only the plan with this slug"))
        parser.add_argument(
            "--force", action="store_true", help=_("Build them even if they are current")
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help=_(
                "Run after the requests: under SCHED_IDLE or at a low niceness, and on "
                "PostgreSQL without parallel query workers (how the server builds them)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["background"]:
            run_in_background()
        plans = Plan.objects.order_by("slug")
        if options["plan"]:
            plans = plans.filter(slug=options["plan"])
            if not plans.exists():
                raise CommandError(_("Plan “%(slug)s” does not exist.") % {"slug": options["plan"]})
        for plan in plans:
            built = build_downloads(plan.pk, force=options["force"])
            if options["verbosity"] > 0:
                message = (
                    _("Plan “%(slug)s”: open-data files built.")
                    if built
                    else _("Plan “%(slug)s”: open-data files are current.")
                )
                self.stdout.write(message % {"slug": plan.slug})
