"""`kek report`: the progress report of a round as PDF or HTML file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from monitoring.models import ReportingRound
from plans.models import Plan
from reports.content import build_report
from reports.rendering import render_html, render_pdf


class Command(BaseCommand):
    help = (
        "Schreibt den Umsetzungsbericht einer Berichtsrunde als PDF oder HTML "
        "(mit --intern: mit Hemmnissen und noch nicht veröffentlichten Berichten)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", default=settings.KEK_PLAN_SLUG, help="Kurzname des Plans")
        parser.add_argument(
            "--round",
            dest="round_slug",
            default="latest",
            help="Kurzname der Runde, z. B. monitoring-2026, oder latest (neueste abgeschlossene)",
        )
        parser.add_argument(
            "--format", choices=("pdf", "html"), default="pdf", help="pdf oder html"
        )
        parser.add_argument(
            "--intern",
            action="store_true",
            help="interne Fassung (nur für die Verwaltung): Hemmnisse, Unterstützungsbedarf, "
            "unveröffentlichte Berichte",
        )
        parser.add_argument("-o", "--output", required=True, help="Zieldatei")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            raise CommandError(f"Plan „{options['plan']}“ fehlt.")
        reporting_round = ReportingRound.objects.filter(plan=plan).by_slug(options["round_slug"])
        if reporting_round is None:
            raise CommandError(
                f"Berichtsrunde „{options['round_slug']}“ gibt es im Plan {plan.slug} nicht"
                + (
                    " (noch keine abgeschlossene Runde)."
                    if options["round_slug"] == "latest"
                    else "."
                )
            )
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"Verzeichnis „{output.parent}“ fehlt.")
        report = build_report(plan, reporting_round, internal=options["intern"])
        try:
            if options["format"] == "html":
                output.write_text(render_html(report), encoding="utf-8")
            else:
                output.write_bytes(render_pdf(report))
        except OSError as error:
            raise CommandError(
                f"„{output}“ lässt sich nicht schreiben: {error.strerror}"
            ) from error
        version = "interne Fassung" if options["intern"] else "öffentliche Fassung"
        self.stdout.write(f"Umsetzungsbericht {reporting_round.name} ({version}) → {output}")
