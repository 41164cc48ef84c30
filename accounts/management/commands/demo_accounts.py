"""`kek demo-accounts`: create the demo superuser and print how to sign in."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from accounts.demo import ensure_demo_admin

ADMIN_URL = "http://127.0.0.1:8000/admin/"


class Command(BaseCommand):
    help = "Legt den Demo-Zugang „admin“ an (oder aktualisiert ihn) und zeigt die Anmeldedaten."

    def handle(self, *args: Any, **options: Any) -> None:
        login = ensure_demo_admin()
        action = "angelegt" if login.created else "aktualisiert"
        self.stdout.write(f"Demo-Zugang {action}.")
        self.stdout.write(f"  Anmeldung: {ADMIN_URL}")
        self.stdout.write(f"  Benutzer:  {login.username}")
        self.stdout.write(f"  Passwort:  {login.password}")
