"""`kek oparl sync --endpoint URL [--apply]`: propose links of Kreistag papers to measures.

Walks the OParl 1.1 endpoint (System → bodies → papers), shows the papers that name a measure
number of the plan or the KEK, and with `--apply` stores them with their link proposals; the
coordination confirms the proposals in the back office. Any refused answer is one German line,
exit code 1, and nothing is written.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from council import oparl, services
from plans.models import Plan


def _positive(kind: type[int] | type[float]) -> Any:
    def parse(value: str) -> int | float:
        number = kind(value)
        if number <= 0:
            raise ValueError(value)
        return number

    parse.__name__ = kind.__name__
    return parse


def preview_lines(preview: services.SyncPreview) -> list[str]:
    """The preview as German lines: one per paper worth proposing."""
    lines = [
        f"{preview.papers_read} Drucksachen gelesen ({preview.pages} Listenseiten), "
        f"{len(preview.matches)} mit Bezug zu Maßnahmen oder zum KEK:"
    ]
    for match in preview.matches:
        paper = match.paper
        targets = [*match.mentions.numbers, *(["KEK"] if match.mentions.names_plan else [])]
        date = paper.date.strftime("%d.%m.%Y") if paper.date else "ohne Datum"
        lines.append(f"  {paper.reference or '–'}  {date}  {paper.name}")
        lines.append(
            f"      → {', '.join(targets)}"
            + (f"  ({match.decision.splitlines()[0]})" if match.decision else "")
        )
    return lines


class Command(BaseCommand):
    help = "Kreistagsbeschlüsse über OParl 1.1 lesen und Verknüpfungen mit Maßnahmen vorschlagen."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        sync = actions.add_parser(
            "sync", help="Drucksachen lesen, Vorschau zeigen, mit --apply Vorschläge speichern"
        )
        sync.add_argument("--endpoint", required=True, help="URL des OParl-System-Objekts")
        sync.add_argument("--plan", help="Kurzname des Plans (Standard: der Plan des Portals)")
        sync.add_argument(
            "--apply", action="store_true", help="Drucksachen und Vorschläge speichern"
        )
        defaults = oparl.Limits()
        sync.add_argument(
            "--timeout",
            type=_positive(float),
            default=defaults.timeout,
            help=f"Sekunden je Abruf (Standard: {defaults.timeout:g})",
        )
        sync.add_argument(
            "--max-pages",
            type=_positive(int),
            default=defaults.max_pages,
            help=f"Höchstzahl der Listenseiten (Standard: {defaults.max_pages})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["plan"]
        plan = Plan.objects.filter(slug=slug).first() if slug else _current_plan()
        if plan is None:
            raise CommandError(f"Plan „{slug}“ fehlt." if slug else "Es ist kein Plan eingelesen.")
        limits = oparl.Limits(timeout=options["timeout"], max_pages=options["max_pages"])
        client = oparl.Client(limits)
        try:
            preview = services.preview_sync(plan, options["endpoint"], client)
        except oparl.OParlError as error:
            raise CommandError(f"{error} Nichts gespeichert.") from None
        self.stdout.write("\n".join(preview_lines(preview)))
        if not options["apply"]:
            self.stdout.write("Vorschau – nichts gespeichert (mit --apply speichern).")
            return
        result = services.apply_sync(plan, preview)
        self.stdout.write(
            f"Gespeichert: {result.papers_created} neue, {result.papers_updated} geänderte "
            f"Drucksachen, {result.proposals_created} neue Vorschläge. Die Koordination "
            "bestätigt sie im Backoffice (/admin/council/linkproposal/)."
        )


def _current_plan() -> Plan | None:
    try:
        return Plan.objects.current()
    except Plan.DoesNotExist:
        return None
