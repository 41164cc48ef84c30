"""`kek import plan FILE`: import a plan exported with `kek export plan` into this database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from plans.management.commands._output import fail
from plans.services import PlanImportError, import_plan_json


class Command(BaseCommand):
    """Import data files; today: a whole plan as JSON."""

    help = "Importiert Daten aus einer Datei (z. B. einen Plan-Export: kek import plan DATEI)."

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare the options."""
        parser.add_argument("kind", choices=["plan"], help="Art der Daten")
        parser.add_argument("file", help="JSON-Datei")

    def handle(self, *args: Any, **options: Any) -> None:
        """Read the file, validate and import it."""
        path = Path(options["file"])
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
        except FileNotFoundError:
            fail(self.stderr, f"Datei „{path}“ nicht gefunden.")
        except OSError as error:
            fail(self.stderr, f"Datei „{path}“ kann nicht gelesen werden ({error.strerror}).")
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            fail(self.stderr, f"Datei „{path}“ ist kein gültiges JSON ({error}).")
        try:
            plan = import_plan_json(data)
        except PlanImportError as error:
            fail(self.stderr, str(error))
        self.stdout.write(
            f"Plan „{plan.slug}“ importiert: {plan.measures.count()} Maßnahmen, "
            f"{plan.placements.count()} Einordnungen."
        )
