"""`kek demo-accounts`: create the demo superuser and print how to sign in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.demo import ensure_demo_admin


class Command(BaseCommand):
    help = "Legt den Demo-Zugang „admin“ an (oder aktualisiert ihn) und zeigt die Anmeldedaten."

    def handle(self, *args: Any, **options: Any) -> None:
        login = ensure_demo_admin()
        action = "angelegt" if login.created else "aktualisiert"
        self.stdout.write(f"Demo-Zugang {action}.")
        base = settings.KEK_BASE_URL.rstrip("/")
        self.stdout.write(f"  Portal:    {base}/")
        self.stdout.write(f"  Anmeldung: {base}/anmelden/ (Verwaltung: {base}/admin/)")
        self.stdout.write(f"  Benutzer:  {login.username}")
        self.stdout.write(f"  Passwort:  {login.password}")
