"""`kek restore FILE`: restore a backup of `kek backup` into an empty database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from operations.backup import BackupError, restore_backup


class Command(BaseCommand):
    """Restore a backup archive."""

    help = "Stellt eine Sicherung von „kek backup“ in einer leeren Datenbank wieder her."

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare the options."""
        parser.add_argument("file", help=_("Archive file of kek backup"))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Overwrite a database that is not empty"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Restore, or fail with one German line."""
        try:
            result = restore_backup(Path(options["file"]), force=options["force"])
        except (BackupError, OSError) as error:
            self.stderr.write(_("Error: %(message)s") % {"message": error})
            raise SystemExit(1) from None
        self.stdout.write(
            _("Backup of %(date)s restored (%(engine)s, %(files)d files).")
            % {"date": result.created_at, "engine": result.engine, "files": result.files}
        )
        if not result.secret_key_restored:
            self.stdout.write(_("SECRET_KEY is set in the environment: it was left as it is."))
        self.stdout.write(_("Next: kek migrate (if this version is newer), then restart."))
