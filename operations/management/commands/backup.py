"""`kek backup -o FILE`: database, var/ files and secret key in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from operations.backup import BackupError, create_backup


class Command(BaseCommand):
    """Write a backup archive of this installation."""

    help = "Sichert Datenbank, Dateien unter var/ und den geheimen Schlüssel in eine Datei."

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare the options."""
        parser.add_argument("-o", "--output", required=True, help=_("Archive file (.tar.gz)"))

    def handle(self, *args: Any, **options: Any) -> None:
        """Back up, or fail with one German line."""
        target = Path(options["output"])
        try:
            manifest = create_backup(target)
        except (BackupError, OSError) as error:
            self.stderr.write(_("Error: %(message)s") % {"message": error})
            raise SystemExit(1) from None
        self.stdout.write(
            _("Backup written: %(path)s (%(engine)s, %(size)d KB).")
            % {"path": target, "engine": manifest["engine"], "size": target.stat().st_size // 1024}
        )
