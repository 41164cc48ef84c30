"""`kek export-site DIR`: the published public portal as static files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from plans.models import Plan
from sitexport.export import SiteExportError, export_site
from sitexport.search_index import SearchIndexError


class Command(BaseCommand):
    help = (
        "Schreibt das öffentliche Portal als statische Dateien in ein leeres Verzeichnis "
        "(Seiten, offene Daten, Berichte, Suche, Filter), für jeden Webserver ohne Datenbank."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="Zielverzeichnis (leer oder neu)")
        parser.add_argument("--plan", default=settings.KEK_PLAN_SLUG, help="Kurzname des Plans")
        parser.add_argument(
            "--base-url",
            default=settings.KEK_BASE_URL,
            help="Adresse, unter der die Seite erscheint (für absolute Links, z. B. DCAT)",
        )
        parser.add_argument(
            "--force", action="store_true", help="ein nicht leeres Verzeichnis vorher leeren"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            raise CommandError(f"Plan „{options['plan']}“ fehlt.")
        directory = Path(options["directory"])
        try:
            result = export_site(
                plan,
                directory,
                base_url=options["base_url"],
                force=options["force"],
                progress=lambda message: self.stderr.write(message),
            )
        except (SiteExportError, SearchIndexError) as error:
            raise CommandError(str(error)) from error
        for url, referrer in result.broken:
            self.stderr.write(f"Nicht exportiert: {url}, verlinkt von {referrer}")
        self.stdout.write(
            f"Statische Seite von {plan.slug} → {directory}: {result.pages} Seiten, "
            f"{result.files} Dateien, {result.size / 1_000_000:.1f} MB in {result.seconds:.1f} s"
        )
        if result.broken:
            raise CommandError(f"{len(result.broken)} verlinkte Adressen fehlen (siehe oben).")
