"""`kek indicators define|import|import-register|load-municipalities`: the command line."""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from indicators.importers.municipalities import BoundaryFileError, parse_boundaries
from indicators.models import COUNTY_AGS, Direction, Register
from indicators.services import (
    ImportPreview,
    IndicatorError,
    RegisterError,
    TargetSpec,
    ValueImportError,
    define_indicator,
    ensure_default_registers,
    import_register,
    import_values,
    load_municipalities,
    read_register_file,
    read_value_file,
    value_rules,
)
from plans.models import Plan

PREVIEW_LINES = 20


def target_spec(text: str) -> TargetSpec:
    """`VALUE:YEAR`, e.g. `270000:2030` or `12,5:2030`."""
    value, _sep, year = text.rpartition(":")
    try:
        return TargetSpec(Decimal(value.replace(",", ".")), int(year))
    except (InvalidOperation, ValueError):
        raise argparse.ArgumentTypeError(
            _("“%(text)s” is not VALUE:YEAR (e.g. 270000:2030).") % {"text": text}
        ) from None


def band_spec(text: str) -> tuple[Decimal, Decimal]:
    """`LOW:HIGH`."""
    low, _sep, high = text.partition(":")
    try:
        return Decimal(low.replace(",", ".")), Decimal(high.replace(",", "."))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(
            _("“%(text)s” is not LOW:HIGH.") % {"text": text}
        ) from None


class Command(BaseCommand):
    """Define indicators, import their values, load the Gemeinden."""

    help = "Indikatoren definieren, Werte einlesen, Gemeinden laden."

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare the sub-actions and their options."""
        actions = parser.add_subparsers(dest="action", required=True)
        define = actions.add_parser("define", help=_("Define or redefine an indicator"))
        define.add_argument("--plan", required=True)
        define.add_argument("--slug", required=True)
        define.add_argument("--name", required=True)
        define.add_argument("--unit", required=True)
        define.add_argument("--direction", choices=Direction.values, default=Direction.UP)
        define.add_argument("--short-name", default="")
        define.add_argument("--definition", default="")
        define.add_argument("--source", default="")
        define.add_argument("--licence", default="")
        define.add_argument("--precision", type=int, default=0)
        define.add_argument("--band", type=band_spec, help="LOW:HIGH")
        define.add_argument("--measure", action="append", default=[], help=_("Measure number"))
        define.add_argument("--goal", action="append", default=[], help=_("Goal or subgoal"))
        define.add_argument("--target", action="append", default=[], type=target_spec)
        define.add_argument("--note", default="", help=_("Reason of a redefinition"))
        load = actions.add_parser("import", help=_("Import values from a CSV file"))
        load.add_argument("file")
        load.add_argument("--plan", required=True)
        load.add_argument("--indicator")
        load.add_argument("--column", help=_("Value column code of a GENESIS file"))
        load.add_argument("--apply", action="store_true", help=_("Write (else: preview)"))
        register = actions.add_parser(
            "import-register", help=_("Import register entries from a CSV or XLSX file")
        )
        register.add_argument("file")
        register.add_argument("--plan", required=True)
        register.add_argument("--register", required=True, help=_("Register key, e.g. leerstand"))
        register.add_argument("--apply", action="store_true")
        boundaries = actions.add_parser(
            "load-municipalities", help=_("Load the Gemeinden from a GeoJSON file")
        )
        boundaries.add_argument("file")
        boundaries.add_argument("--plan", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the chosen action."""
        try:
            plan = Plan.objects.get(slug=options["plan"])
        except Plan.DoesNotExist:
            raise CommandError(
                _("Plan “%(slug)s” not found.") % {"slug": options["plan"]}
            ) from None
        try:
            {
                "define": self.define,
                "import": self.import_file,
                "load-municipalities": self.load_municipalities,
                "import-register": self.import_register,
            }[options["action"]](plan, options)
        except (ValueImportError, RegisterError) as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(error.message) from None
        except IndicatorError as error:
            raise CommandError(error.message) from None

    def define(self, plan: Plan, options: dict[str, Any]) -> None:
        """Define or redefine one indicator."""
        indicator, outcome = define_indicator(
            plan,
            slug=options["slug"],
            name=options["name"],
            unit=options["unit"],
            direction=options["direction"],
            short_name=options["short_name"],
            definition=options["definition"],
            source=options["source"],
            licence=options["licence"],
            precision=options["precision"],
            band=options["band"],
            measures=options["measure"],
            goals=options["goal"],
            targets=options["target"],
            note=options["note"],
        )
        messages = {
            "created": _("Indicator “%(slug)s” defined (version %(version)d)."),
            "redefined": _("Indicator “%(slug)s” redefined: version %(version)d."),
            "updated": _("Indicator “%(slug)s” updated (version %(version)d unchanged)."),
            "unchanged": _("Indicator “%(slug)s” unchanged."),
        }
        self.stdout.write(
            messages[outcome] % {"slug": indicator.slug, "version": indicator.version}
        )

    def read(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("File “%(path)s” cannot be read (%(reason)s).")
                % {"path": path, "reason": error.strerror}
            ) from None

    def import_file(self, plan: Plan, options: dict[str, Any]) -> None:
        """Preview, and with --apply write, the values of a file."""
        path = Path(options["file"])
        parsed = read_value_file(
            self.read(path), value_rules(plan, options["indicator"], options["column"])
        )
        preview = import_values(plan, parsed, file_name=path.name, apply=options["apply"])
        self.report(preview)

    def report(self, preview: ImportPreview) -> None:
        """Print the preview: counts, then the first new and changed values."""
        self.stdout.write(
            _(
                "%(new)d new, %(changed)d changed, %(unchanged)d unchanged values; "
                "%(missing)d rows without a value."
            )
            % {
                "new": len(preview.new),
                "changed": len(preview.changed),
                "unchanged": preview.unchanged,
                "missing": len(preview.missing),
            }
        )
        for value in preview.new[:PREVIEW_LINES]:
            self.stdout.write(
                _("  new: %(indicator)s %(ags)s %(year)d = %(value)s (row %(row)d)")
                % {**_fields(value), "value": value.value}
            )
        for value, old in preview.changed[:PREVIEW_LINES]:
            self.stdout.write(
                _("  changed: %(indicator)s %(ags)s %(year)d: %(old)s → %(value)s (row %(row)d)")
                % {**_fields(value), "value": value.value, "old": old.normalize()}
            )
        if preview.applied:
            self.stdout.write(_("Values written."))
        elif preview.new or preview.changed:
            self.stdout.write(_("Preview only: nothing written. Write with --apply."))

    def load_municipalities(self, plan: Plan, options: dict[str, Any]) -> None:
        """Load the Gemeinden with population and density (a second run changes nothing)."""
        path = Path(options["file"])
        try:
            boundaries = parse_boundaries(self.read(path).decode("utf-8"), COUNTY_AGS)
        except (BoundaryFileError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from None
        result = load_municipalities(plan, boundaries, path.name)
        registers = ensure_default_registers(plan)
        self.stdout.write(
            _("Municipalities: %(added)d added, %(changed)d changed; %(values)d values written.")
            % {
                "added": result.added,
                "changed": result.changed,
                "values": len(result.values.new) + len(result.values.changed),
            }
        )
        if registers:
            self.stdout.write(_("Registers: %(count)d added.") % {"count": registers})

    def import_register(self, plan: Plan, options: dict[str, Any]) -> None:
        """Preview, and with --apply write, the entries of a register file."""
        register = Register.objects.filter(plan=plan, slug=options["register"]).first()
        if register is None:
            raise CommandError(_("Register “%(slug)s” not found.") % {"slug": options["register"]})
        path = Path(options["file"])
        preview = import_register(
            None,
            register,
            read_register_file(self.read(path), path.name),
            file_name=path.name,
            apply=options["apply"],
        )
        self.stdout.write(
            _("%(new)d new, %(changed)d changed, %(unchanged)d unchanged entries.")
            % {
                "new": len(preview.new),
                "changed": len(preview.changed),
                "unchanged": preview.unchanged,
            }
        )
        for label, rows in ((_("new"), preview.new), (_("changed"), preview.changed)):
            for row in rows[:PREVIEW_LINES]:
                self.stdout.write(
                    f"  {label}: {row.ags} {row.designation} = {row.quantity} "
                    + _("(row %(row)d)") % {"row": row.row}
                )
        if preview.applied:
            self.stdout.write(_("Entries written."))
        elif preview.new or preview.changed:
            self.stdout.write(_("Preview only: nothing written. Write with --apply."))


def _fields(value: Any) -> dict[str, Any]:
    return {"indicator": value.indicator, "ags": value.ags, "year": value.year, "row": value.row}
