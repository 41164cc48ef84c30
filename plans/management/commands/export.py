"""`kek export placements|plan --plan SLUG --format csv|json`: write an export to stdout."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.exporters import FORMATS, export_placements, export_plan_json
from plans.management.commands._output import TranslatedCommand, fail, write_bytes
from plans.models import Plan


class Command(TranslatedCommand):
    """Export the placements (CSV/JSON) or the whole plan (JSON) of a plan to stdout."""

    lazy_help = gettext_lazy(
        "Exports the placements (CSV/JSON) or the whole plan (JSON) to standard output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare the options."""
        parser.add_argument("what", choices=["placements", "plan"], help=_("What to export"))
        parser.add_argument("--plan", default="kek-2030", help=_("Short name of the plan"))
        parser.add_argument("--format", choices=FORMATS, default=None, help=_("csv or json"))
        parser.add_argument(
            "--for-spreadsheets",
            action="store_true",
            help=_(
                "CSV for Excel: texts starting with =, +, -, @, tab or CR get a leading "
                "apostrophe (default: every text exactly as stored)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Render the export and write its bytes unchanged."""
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            fail(self.stderr, _("Plan “%(slug)s” does not exist.") % {"slug": options["plan"]})
        if options["what"] == "plan":
            if options["format"] not in (None, "json"):
                fail(self.stderr, _("The whole plan is only available as JSON (--format json)."))
            data = export_plan_json(plan)
        else:
            data = export_placements(
                plan, options["format"] or "csv", for_spreadsheets=options["for_spreadsheets"]
            )
        write_bytes(self.stdout, data)
