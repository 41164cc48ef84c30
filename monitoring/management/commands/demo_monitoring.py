"""`kek demo-monitoring`: demo accounts with roles, a demo round and demo reports."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from monitoring.demo import demo_report_count, ensure_demo_members, ensure_demo_round
from plans.models import Plan


class Command(BaseCommand):
    help = (
        "Legt die Demo-Zugänge mit Rollen (Koordination, Amt-Redaktion, Beteiligte, Leser), "
        "eine Demo-Berichtsrunde und einige Demo-Berichte an und zeigt die Anmeldedaten."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", default=settings.KEK_PLAN_SLUG, help="Kurzname des Plans")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            raise CommandError(
                f"Plan „{options['plan']}“ fehlt: zuerst `kek import-document` ausführen."
            )
        accounts = ensure_demo_members(plan)
        reporting_round, created = ensure_demo_round(plan)
        self.stdout.write(f"Demo-Zugänge für „{plan.title}“ (ein Passwort für alle):")
        width = max(len(a.login.username) for a in accounts)
        for account in accounts:
            self.stdout.write(f"  {account.login.username.ljust(width)}  {account.description}")
        self.stdout.write(f"  Passwort:  {accounts[0].login.password}")
        action = "angelegt" if created else "bereits vorhanden"
        self.stdout.write(
            f"Demo-Berichtsrunde „{reporting_round.name}“ {action} "
            f"({demo_report_count(reporting_round)} Demo-Berichte, markiert mit „[Demo]“)."
        )
