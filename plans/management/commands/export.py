"""`kek export placements|plan --plan SLUG --format csv|json`: write an export to stdout."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from plans.exporters import FORMATS, export_placements, export_plan_json
from plans.management.commands._output import fail, write_bytes
from plans.models import Plan


class Command(BaseCommand):
    """Export the placements (CSV/JSON) or the whole plan (JSON) of a plan to stdout."""

    help = "Exportiert Einordnungen (CSV/JSON) oder den ganzen Plan (JSON) auf die Standardausgabe."

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare the options."""
        parser.add_argument("what", choices=["placements", "plan"], help="Was exportiert wird")
        parser.add_argument("--plan", default="kek-2030", help="Kurzname des Plans")
        parser.add_argument("--format", choices=FORMATS, default=None, help="csv oder json")

    def handle(self, *args: Any, **options: Any) -> None:
        """Render the export and write its bytes unchanged."""
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            fail(self.stderr, f"Plan „{options['plan']}“ gibt es nicht.")
        if options["what"] == "plan":
            if options["format"] not in (None, "json"):
                fail(self.stderr, "Den ganzen Plan gibt es nur als JSON (--format json).")
            data = export_plan_json(plan)
        else:
            data = export_placements(plan, options["format"] or "csv")
        write_bytes(self.stdout, data)
