"""`kek import-document PATH`: read a plan document (text) and import it into the catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from plans.importers.structure import DocumentError, ParsedPlan
from plans.management.commands._output import fail, raw_stream
from plans.models import Plan
from plans.services import ImportResult, PlanImportError, import_parsed_plan, iter_report_lines

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_NOT_APPLIED = 3
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


class UnreadableDocument(Exception):
    """The file cannot be read as a text document; the message is German."""


def read_document(path: Path) -> str:
    """Return the text of a UTF-8 document or raise UnreadableDocument with a German reason."""
    try:
        if not path.exists():
            raise UnreadableDocument(f"Datei „{path}“ nicht gefunden.")
        if not path.is_file():
            raise UnreadableDocument(f"„{path}“ ist keine Datei.")
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise UnreadableDocument(f"Datei „{path}“ ist größer als 20 MB.")
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableDocument(
            f"Datei „{path}“ kann nicht gelesen werden ({error.strerror})."
        ) from error
    if b"\x00" in data:
        raise UnreadableDocument(f"Datei „{path}“ ist keine Textdatei (enthält Binärdaten).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableDocument(
            f"Datei „{path}“ ist nicht UTF-8-kodiert (ungültiges Byte an Position {error.start})."
        ) from error
    if not text.strip():
        raise UnreadableDocument(f"Datei „{path}“ ist leer.")
    return text


def parse_document(text: str, slug: str) -> ParsedPlan:
    """Parse a KEK text document (imported here so that a broken parser cannot block Django)."""
    from plans.importers import kek_text

    return kek_text.parse_document(text, slug)


def count_rows(parsed: ParsedPlan) -> list[tuple[str, int]]:
    """The figures of the summary table, labelled in German."""
    rows = []
    for level, name in enumerate(parsed.level_names[:4], start=1):
        rows.append((f"{name} (Ebene {level})", sum(1 for n in parsed.nodes if n.level == level)))
    return [
        *rows,
        ("Maßnahmen", len(parsed.measures)),
        ("Einordnungen", len(parsed.placements)),
        ("Organisationen", len(parsed.organisations)),
        ("Schlüsselvorhaben", len(parsed.key_projects)),
        ("Normalisierungen", len(parsed.normalisations)),
        ("Nicht aufgelöste Abkürzungen", len(parsed.unresolved)),
    ]


def report_text(path: Path, parsed: ParsedPlan, result: ImportResult) -> str:
    """The full import report: source, figures, outcome, differences, normalisations."""
    lines = [
        f"Importbericht für Plan „{parsed.slug}“",
        f"Quelle: {path} ({parsed.source_lines} Zeilen, SHA-256 {parsed.source_sha256 or '—'})",
        "",
        *(f"{label}: {count}" for label, count in count_rows(parsed)),
        "",
        *result.lines(),
        "",
        *iter_report_lines(parsed),
    ]
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    """Import a plan document; exit 0 (ok or unchanged), 1 (error), 3 (changes not applied)."""

    help = "Liest ein Konzeptdokument (Text) als Plan ein."

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare the options."""
        parser.add_argument("path", help="Textdatei des Dokuments")
        parser.add_argument("--plan", default="kek-2030", help="Kurzname des Plans")
        parser.add_argument(
            "--apply", action="store_true", help="Abweichungen zu einem vorhandenen Plan übernehmen"
        )
        parser.add_argument(
            "--if-new", action="store_true", help="Nichts tun, wenn der Plan schon importiert ist"
        )
        parser.add_argument(
            "--report", action="store_true", help="Den ganzen Importbericht ausgeben"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Read, parse, import, summarise."""
        slug: str = options["plan"]
        path = Path(options["path"])
        if options["if_new"] and Plan.objects.filter(slug=slug).exists():
            self.stdout.write(f"Plan „{slug}“ ist bereits importiert.")
            return
        console = Console(file=raw_stream(self.stdout), highlight=False)
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        ) as progress:
            task = progress.add_task(f"Lese {path} …", total=3)
            try:
                text = read_document(path)
                progress.update(task, advance=1, description="Werte das Dokument aus …")
                parsed = parse_document(text, slug)
                progress.update(task, advance=1, description="Schreibe in die Datenbank …")
                result = import_parsed_plan(parsed, apply=options["apply"])
                progress.update(task, advance=1)
            except (UnreadableDocument, DocumentError, PlanImportError) as error:
                progress.stop()
                fail(self.stderr, str(error), EXIT_ERROR)

        report = report_text(path, parsed, result)
        report_path = Path(settings.VAR_DIR) / f"import-report-{slug}.txt"
        report_path.parent.mkdir(parents=True, exist_ok=True)
        report_path.write_text(report, encoding="utf-8")

        table = Table(title=f"Import „{slug}“")
        table.add_column("Inhalt")
        table.add_column("Anzahl", justify="right")
        for label, count in count_rows(parsed):
            table.add_row(label, str(count))
        console.print(table)
        if options["report"]:
            console.print(report, markup=False, end="")
        elif not result.plan_created:
            for line in [*result.created, *result.changed, *result.removed]:
                console.print(line, markup=False)
        console.print(result.summary(), markup=False)
        console.print(f"Importbericht: {report_path}", markup=False)
        if result.has_changes and not result.applied:
            raise SystemExit(EXIT_NOT_APPLIED)
