"""`kek import-document PATH`: read a plan document (text) and import it into the catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from plans.importers.structure import DocumentError, ParsedPlan
from plans.management.commands._output import TranslatedCommand, fail, raw_stream
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
            raise UnreadableDocument(_("File “%(path)s” not found.") % {"path": path})
        if not path.is_file():
            raise UnreadableDocument(_("“%(path)s” is not a file.") % {"path": path})
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise UnreadableDocument(_("File “%(path)s” is larger than 20 MB.") % {"path": path})
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableDocument(
            _("File “%(path)s” cannot be read (%(reason)s).")
            % {"path": path, "reason": error.strerror}
        ) from error
    if b"\x00" in data:
        raise UnreadableDocument(
            _("File “%(path)s” is not a text file (contains binary data).") % {"path": path}
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableDocument(
            _("File “%(path)s” is not UTF-8 encoded (invalid byte at position %(position)s).")
            % {"path": path, "position": error.start}
        ) from error
    if not text.strip():
        raise UnreadableDocument(_("File “%(path)s” is empty.") % {"path": path})
    return text


def parse_document(text: str, slug: str) -> ParsedPlan:
    """Parse a KEK text document (imported here so that a broken parser cannot block Django)."""
    from plans.importers import kek_text

    return kek_text.parse_document(text, slug)


def count_rows(parsed: ParsedPlan) -> list[tuple[str, int]]:
    """The figures of the summary table, labelled in German."""
    rows = []
    for level, name in enumerate(parsed.level_names[:4], start=1):
        rows.append(
            (
                _("%(name)s (level %(level)s)") % {"name": name, "level": level},
                sum(1 for n in parsed.nodes if n.level == level),
            )
        )
    return [
        *rows,
        (_("Measures"), len(parsed.measures)),
        (_("Placements"), len(parsed.placements)),
        (_("Organisations"), len(parsed.organisations)),
        (_("Key projects"), len(parsed.key_projects)),
        (_("Normalisations"), len(parsed.normalisations)),
        (_("Unresolved abbreviations"), len(parsed.unresolved)),
    ]


def report_text(path: Path, parsed: ParsedPlan, result: ImportResult) -> str:
    """The full import report: source, figures, outcome, differences, normalisations."""
    lines = [
        _("Import report for plan “%(slug)s”") % {"slug": parsed.slug},
        _("Source: %(path)s (%(lines)s lines, SHA-256 %(sha256)s)")
        % {"path": path, "lines": parsed.source_lines, "sha256": parsed.source_sha256 or "—"},
        "",
        *(f"{label}: {count}" for label, count in count_rows(parsed)),
        "",
        *result.lines(),
        "",
        *iter_report_lines(parsed),
    ]
    return "\n".join(lines) + "\n"


class Command(TranslatedCommand):
    """Import a plan document; exit 0 (ok or unchanged), 1 (error), 3 (changes not applied)."""

    lazy_help = gettext_lazy("Reads a concept document (text) in as a plan.")

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare the options."""
        parser.add_argument("path", help=_("Text file of the document"))
        parser.add_argument("--plan", default="kek-2030", help=_("Short name of the plan"))
        parser.add_argument(
            "--apply", action="store_true", help=_("Apply differences to an existing plan")
        )
        parser.add_argument(
            "--if-new",
            action="store_true",
            help=_("Do nothing when the plan has already been imported"),
        )
        parser.add_argument(
            "--report", action="store_true", help=_("Print the whole import report")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Read, parse, import, summarise."""
        slug: str = options["plan"]
        path = Path(options["path"])
        if options["if_new"] and Plan.objects.filter(slug=slug).exists():
            self.stdout.write(_("Plan “%(slug)s” has already been imported.") % {"slug": slug})
            return
        console = Console(file=raw_stream(self.stdout), highlight=False)
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        ) as progress:
            task = progress.add_task(_("Reading %(path)s …") % {"path": path}, total=3)
            try:
                text = read_document(path)
                progress.update(task, advance=1, description=_("Evaluating the document …"))
                parsed = parse_document(text, slug)
                progress.update(task, advance=1, description=_("Writing to the database …"))
                result = import_parsed_plan(parsed, apply=options["apply"])
                progress.update(task, advance=1)
            except (UnreadableDocument, DocumentError, PlanImportError) as error:
                progress.stop()
                fail(self.stderr, str(error), EXIT_ERROR)

        report = report_text(path, parsed, result)
        report_path = Path(settings.VAR_DIR) / f"import-report-{slug}.txt"
        report_path.parent.mkdir(parents=True, exist_ok=True)
        report_path.write_text(report, encoding="utf-8")

        table = Table(title=_("Import “%(slug)s”") % {"slug": slug})
        table.add_column(_("Content"))
        table.add_column(_("Count"), justify="right")
        for label, count in count_rows(parsed):
            table.add_row(label, str(count))
        console.print(table)
        if options["report"]:
            console.print(report, markup=False, end="")
        elif not result.plan_created:
            for line in [*result.created, *result.changed, *result.removed]:
                console.print(line, markup=False)
        for warning in result.warnings:
            console.print(_("Warning: %(warning)s") % {"warning": warning}, markup=False)
        console.print(result.summary(), markup=False)
        console.print(_("Import report: %(path)s") % {"path": report_path}, markup=False)
        if result.has_changes and not result.applied:
            raise SystemExit(EXIT_NOT_APPLIED)
