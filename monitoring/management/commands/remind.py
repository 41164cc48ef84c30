"""`kek remind`: e-mail the offices that still owe reports in the open rounds (scheduled job)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from monitoring import services
from monitoring.models import ReportingRound
from plans.models import Plan


class Command(BaseCommand):
    help = (
        "Erinnert die Ämter per E-Mail an ausstehende Berichte aller offenen Berichtsrunden "
        "(für einen geplanten Job); im Namen der Koordination, die die Runde eröffnet hat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", default=settings.KEK_PLAN_SLUG, help="Kurzname des Plans")
        parser.add_argument(
            "--as",
            dest="username",
            default=None,
            help="Benutzername der Koordination, in deren Namen erinnert wird "
            "(Standard: wer die Runde eröffnet hat)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            raise CommandError(f"Plan „{options['plan']}“ fehlt.")
        acting = None
        if options["username"]:
            acting = get_user_model().objects.filter(username=options["username"]).first()
            if acting is None:
                raise CommandError(f"Benutzer „{options['username']}“ fehlt.")
        rounds = list(ReportingRound.objects.filter(plan=plan).open().select_related("opened_by"))
        if not rounds:
            self.stdout.write("Keine offene Berichtsrunde: nichts zu erinnern.")
            return
        for reporting_round in rounds:
            user = acting or reporting_round.opened_by
            try:
                sent = services.send_reminders(user, reporting_round)
            except services.MonitoringError as error:
                raise CommandError(f"{reporting_round.name}: {error.message}") from error
            self.stdout.write(f"{reporting_round.name}: {sent} Erinnerung(en) versendet.")
