"""The `kek` command: runs the server and maps subcommands to Django management commands."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

SETTINGS_MODULE = "kekmonitor.settings"

# Subcommands whose management command has a different name than "dashes → underscores".
# `import` is a Python keyword and would be a confusing module name for a command.
ALIASES: dict[str, str] = {"import": "import_data"}

# One German line per command a user of this project needs; shown by `kek --help`.
COMMANDS: dict[str, str] = {
    "serve": "Startet den Webserver (gunicorn), Standard 127.0.0.1:8000",
    "migrate": "Bringt das Datenbankschema auf den aktuellen Stand",
    "collectstatic": "Sammelt die statischen Dateien für den Webserver",
    "import-document": "Liest ein Konzeptdokument (Text) als Plan ein",
    "import": "Importiert Daten aus einer Datei (z. B. kek import plan DATEI)",
    "export": "Exportiert Daten (CSV, XLSX, JSON …)",
    "rebuild-search-index": "Baut den Suchindex neu auf (nach einem Update, sonst nie nötig)",
    "build-downloads": "Erstellt die Dateien der offenen Daten neu, wenn sie veraltet sind",
    "demo-accounts": "Legt die Demo-Zugänge an und zeigt die Anmeldedaten",
    "demo-monitoring": "Legt Demo-Rollen, eine Demo-Berichtsrunde und Demo-Berichte an",
    "rounds": "Berichtsrunden auflisten (list) oder abschließen (close, geplanter Job)",
    "report": "Schreibt den Umsetzungsbericht einer Runde als PDF oder HTML",
    "export-site": "Schreibt das öffentliche Portal als statische Seite (ohne Server)",
    "remind": "Erinnert die Ämter per E-Mail an ausstehende Berichte (geplanter Job)",
    "workbook": "Arbeitsmappe (Excel) eines Amtes exportieren oder einlesen",
    "backup": "Sichert Datenbank, Dateien und Schlüssel (kek backup -o DATEI)",
    "restore": "Stellt eine Sicherung in einer leeren Datenbank wieder her",
    "createsuperuser": "Legt ein Administrationskonto an",
    "changepassword": "Ändert das Passwort eines Kontos",
    "check": "Prüft die Konfiguration (mit --deploy für den Produktivbetrieb)",
    "makemigrations": "Erzeugt Migrationen aus Modelländerungen (Entwicklung)",
    "shell": "Öffnet eine Python-Konsole mit geladenem Projekt",
    "dbshell": "Öffnet die Kommandozeile der Datenbank",
    "oparl": "Kreistagsbeschlüsse über OParl lesen (kek oparl sync --endpoint URL [--apply])",
}

HELP_EPILOG = (
    "Alle weiteren Django-Verwaltungsbefehle sind ebenso erreichbar "
    "(Bindestriche statt Unterstriche, z. B. kek send-test-email).\n"
    "Hilfe zu einem Befehl: kek BEFEHL --help"
)


def management_command_name(subcommand: str) -> str:
    """Return the Django management command that `kek SUBCOMMAND` runs."""
    return ALIASES.get(subcommand, subcommand.replace("-", "_"))


def help_text() -> str:
    """Return the German overview printed by `kek --help`."""
    width = max(len(name) for name in COMMANDS)
    lines = ["Aufruf: kek BEFEHL [OPTIONEN]", "", "Befehle:"]
    lines += [f"  {name.ljust(width)}  {text}" for name, text in COMMANDS.items()]
    return "\n".join([*lines, "", HELP_EPILOG])


def serve(argv: Sequence[str]) -> int:
    """Replace this process with gunicorn serving the project (static files via WhiteNoise)."""
    parser = argparse.ArgumentParser(
        prog="kek serve", description="Startet den Webserver (gunicorn)."
    )
    parser.add_argument(
        "--bind", default="127.0.0.1:8000", help="Adresse:Port (Standard: 127.0.0.1:8000)"
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="Anzahl der Arbeitsprozesse (Standard: 2)"
    )
    options = parser.parse_args(argv)
    if options.workers < 1:
        parser.error("--workers muss mindestens 1 sein")
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "kekmonitor.wsgi:application",
        "--bind",
        options.bind,
        "--workers",
        str(options.workers),
        # The control socket would live in $HOME and clash between instances: not needed.
        "--no-control-socket",
    ]
    # gunicorn's access log names client addresses: only for the demo. In production the
    # application logs each request as a JSON line without them (operations/request_log.py).
    if os.environ.get("KEK_PRODUCTION", "").strip().lower() not in {"1", "true", "yes", "on"}:
        command += ["--access-logfile", "-"]
    sys.stdout.flush()
    os.execv(sys.executable, command)
    return 0  # not reached: execv replaces the process


def available_commands() -> set[str]:
    """Return the names of all Django management commands of this project."""
    import django
    from django.core.management import get_commands

    django.setup()
    return set(get_commands())


def configuration_error() -> str | None:
    """Load the settings; return the German message of a configuration error, if any."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.SECRET_KEY  # noqa: B018  (reading a setting loads the settings module)
    except ImproperlyConfigured as error:
        return str(error)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script `kek`."""
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    if args and args[0] not in {"-h", "--help", "help"}:
        # A configuration error is one German line, not a traceback (also before gunicorn).
        error = configuration_error()
        if error is not None:
            print(f"kek: Konfigurationsfehler: {error}", file=sys.stderr)
            return 1

    if not args or args[0] in {"-h", "--help", "help"}:
        print(help_text())
        return 0
    subcommand, rest = args[0], args[1:]
    if subcommand == "serve":
        return serve(rest)

    command = management_command_name(subcommand)
    if subcommand.startswith("-") or command not in available_commands():
        print(
            f"kek: unbekannter Befehl „{subcommand}“. Übersicht der Befehle: kek --help",
            file=sys.stderr,
        )
        return 2

    from django.core.management import CommandError, execute_from_command_line
    from django.core.management.base import SystemCheckError

    # With --traceback Django raises a command's refusal instead of printing it as
    # "CommandError: …": it becomes one German line here, like kek's own messages.
    try:
        execute_from_command_line(["kek", command, "--traceback", *rest])
    except SystemCheckError as error:
        print(str(error), file=sys.stderr)
        return error.returncode
    except CommandError as error:
        print(f"kek {subcommand}: {error}", file=sys.stderr)
        return error.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
