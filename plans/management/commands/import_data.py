"""`kek import plan FILE`: import a plan exported with `kek export plan` into this database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.management.commands._output import TranslatedCommand, fail
from plans.services import PlanImportError, import_plan_json

# Like `import-document`: a plan export of KEK 2030 is about 1 MB.
MAX_PLAN_BYTES = 20 * 1024 * 1024


class Command(TranslatedCommand):
    """Import data files; today: a whole plan as JSON."""

    lazy_help = gettext_lazy("Imports data from a file (e.g. a plan export: kek import plan FILE).")

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare the options."""
        parser.add_argument("kind", choices=["plan"], help=_("Kind of data"))
        parser.add_argument("file", help=_("JSON file"))

    def handle(self, *args: Any, **options: Any) -> None:
        """Read the file, validate and import it."""
        path = Path(options["file"])
        try:
            if path.stat().st_size > MAX_PLAN_BYTES:
                fail(self.stderr, _("File “%(path)s” is larger than 20 MB.") % {"path": path})
            with path.open("rb") as file:
                data = json.loads(file.read(MAX_PLAN_BYTES + 1).decode("utf-8"))
        except FileNotFoundError:
            fail(self.stderr, _("File “%(path)s” not found.") % {"path": path})
        except OSError as error:
            fail(
                self.stderr,
                _("File “%(path)s” cannot be read (%(reason)s).")
                % {"path": path, "reason": error.strerror},
            )
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            fail(
                self.stderr,
                _("File “%(path)s” is not valid JSON (%(error)s).")
                % {"path": path, "error": error},
            )
        except RecursionError:
            fail(self.stderr, _("File “%(path)s” is nested too deeply.") % {"path": path})
        except ValueError:
            # Python refuses integers of more than 4,300 digits (int_max_str_digits).
            fail(
                self.stderr,
                _("File “%(path)s” contains a number with too many digits.") % {"path": path},
            )
        try:
            plan = import_plan_json(data)
        except PlanImportError as error:
            fail(self.stderr, str(error))
        self.stdout.write(
            _("Plan “%(slug)s” imported: %(measures)d measures, %(placements)d placements.")
            % {
                "slug": plan.slug,
                "measures": plan.measures.count(),
                "placements": plan.placements.count(),
            }
        )
