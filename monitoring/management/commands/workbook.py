"""`kek workbook export|import`: the Arbeitsmappe of an office on the command line.

    kek workbook export --plan SLUG --round SLUG|latest --office ABBR -o FILE.xlsx
    kek workbook import FILE.xlsx --as USERNAME [--apply]

`--round latest` in the export means the newest *open* round (the one offices fill in); an
explicit slug may name an open or a closed round. The import shows the preview and writes
only with `--apply` (all or nothing; conflicting rows are never written).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from monitoring import services, workbook, worklists
from monitoring.models import ReportingRound
from monitoring.models.round import LATEST_ROUND
from monitoring.workbook.layout import header_of
from plans.models import Organisation, Plan


def _round(plan: Plan, slug: str) -> ReportingRound:
    """The round named by slug; `latest` is the newest open round for an export."""
    rounds = ReportingRound.objects.filter(plan=plan)
    found = (
        next(iter(worklists.open_rounds(plan)), None)
        if slug == LATEST_ROUND
        else rounds.by_slug(slug)
    )
    if found is None:
        if slug == LATEST_ROUND:
            raise CommandError("Keine offene Berichtsrunde.")
        raise CommandError(f"Berichtsrunde „{slug}“ fehlt.")
    return found


class Command(BaseCommand):
    help = "Arbeitsmappe (Excel) eines Amtes herunterladen oder einlesen."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser(
            "export", help="Schreibt die Arbeitsmappe eines Amtes für eine Berichtsrunde."
        )
        export.add_argument("--plan", default=settings.KEK_PLAN_SLUG, help="Kurzname des Plans")
        export.add_argument(
            "--round",
            dest="round_slug",
            default=LATEST_ROUND,
            help="Kurzname der Runde; latest = die neueste offene Runde",
        )
        export.add_argument("--office", required=True, help="Kürzel des Amtes, z. B. SLR")
        export.add_argument("-o", "--output", required=True, help="Zieldatei (.xlsx)")
        imported = actions.add_parser(
            "import", help="Liest eine ausgefüllte Arbeitsmappe als Entwürfe ein."
        )
        imported.add_argument("file", help="Die Arbeitsmappe (.xlsx)")
        imported.add_argument("--as", dest="username", required=True, help="Benutzername")
        imported.add_argument(
            "--apply", action="store_true", help="Schreibt die Änderungen (sonst nur Vorschau)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "export":
                self._export(options)
            else:
                self._import(options)
        except services.MonitoringError as error:
            raise CommandError(error.message) from error

    def _export(self, options: dict[str, Any]) -> None:
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            raise CommandError(f"Plan „{options['plan']}“ fehlt.")
        reporting_round = _round(plan, options["round_slug"])
        office = Organisation.objects.filter(plan=plan, abbreviation=options["office"]).first()
        if office is None:
            raise CommandError(f"Amt „{options['office']}“ fehlt im Plan.")
        data = workbook.build_workbook(reporting_round, office)
        try:
            Path(options["output"]).write_bytes(data)
        except OSError as error:
            raise CommandError(f"{options['output']}: {error.strerror}") from error
        rows = len(workbook.office_items(reporting_round, office))
        self.stdout.write(
            f"{options['output']}: {rows} Maßnahme(n) von {office.abbreviation} "
            f"in {reporting_round.name}."
        )

    def _import(self, options: dict[str, Any]) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Benutzer „{options['username']}“ fehlt.")
        path = Path(options["file"])
        try:
            with path.open("rb") as handle:
                data = handle.read(workbook.MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        preview = workbook.preview_import(user, data, path.name)
        for row in preview.rows:
            if row.conflict:
                self.stdout.write(
                    f"Zeile {row.number} ({row.measure.number}): Konflikt – "
                    f"{row.conflict} Wird nicht übernommen."
                )
            elif row.changes:
                fields = ", ".join(header_of(key) for key in row.changes)
                self.stdout.write(f"Zeile {row.number} ({row.measure.number}): ändert {fields}")
        if preview.errors:
            raise CommandError(
                "Nichts gespeichert. "
                + " · ".join(preview.errors[:20])
                + (f" … ({len(preview.errors)} Fehler)" if len(preview.errors) > 20 else "")
            )
        summary = (
            f"{len(preview.changed)} Bericht(e) zu ändern, {len(preview.conflicts)} Konflikt(e), "
            f"{len(preview.unchanged)} unverändert."
        )
        if not options["apply"]:
            self.stdout.write(summary + " Vorschau: mit --apply speichern.")
            return
        written = workbook.apply_import(user, preview)
        self.stdout.write(f"{written} Entwurf/Entwürfe gespeichert. {summary}")
