"""`kek rounds list|close`: the reporting rounds of a plan on the command line.

`close` is the staff area's „Runde abschließen“ for a scheduled job: the same policy
(`policies.can_close_round`) and the same service (`services.close_round`), acting as a user.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.formats import date_format

from monitoring import policies, services
from monitoring.models import ReportingRound
from plans.models import Plan

COLUMNS = ("Kurzname", "Name", "Stichtag", "Zustand", "Abgeschlossen am", "Geändert am")


def _moment(value: Any) -> str:
    """A moment as German date and time, or „–“."""
    if value is None:
        return "–"
    return date_format(timezone.localtime(value), "d.m.Y H:i")


def round_rows(plan: Plan) -> list[tuple[str, ...]]:
    """One row per round of the plan, newest first: slug, name, Stichtag, state, closed, amended."""
    return [
        (
            reporting_round.slug,
            reporting_round.name,
            date_format(reporting_round.reporting_date, "d.m.Y"),
            str(reporting_round.get_state_display()),
            _moment(reporting_round.closed_at if not reporting_round.is_open else None),
            _moment(reporting_round.amended_at),
        )
        for reporting_round in ReportingRound.objects.filter(plan=plan).newest_first()
    ]


def format_table(rows: list[tuple[str, ...]]) -> str:
    """The rows under the German column heads, aligned in columns."""
    table = [COLUMNS, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in table
    ]
    return "\n".join(line.rstrip() for line in lines)


class Command(BaseCommand):
    help = "Berichtsrunden eines Plans auflisten oder eine Runde abschließen (geplanter Job)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help="Die Berichtsrunden des Plans auflisten")
        listing.add_argument("--plan", required=True, help="Kurzname des Plans")
        close = actions.add_parser(
            "close", help="Eine Berichtsrunde abschließen (wie „Runde abschließen“ im Intranet)"
        )
        close.add_argument("--plan", required=True, help="Kurzname des Plans")
        close.add_argument(
            "--round",
            dest="round_slug",
            required=True,
            help="Kurzname der Runde, z. B. monitoring-2026",
        )
        close.add_argument(
            "--as", dest="username", required=True, help="Benutzername, der abschließt"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            raise CommandError(f"Plan „{options['plan']}“ fehlt.")
        if options["action"] == "list":
            rows = round_rows(plan)
            if not rows:
                self.stdout.write(f"Der Plan „{plan.slug}“ hat noch keine Berichtsrunde.")
                return
            self.stdout.write(format_table(rows))
            return
        self._close(plan, options["round_slug"], options["username"])

    def _close(self, plan: Plan, round_slug: str, username: str) -> None:
        reporting_round = ReportingRound.objects.filter(plan=plan).by_slug(round_slug)
        if reporting_round is None:
            raise CommandError(f"Berichtsrunde „{round_slug}“ fehlt im Plan „{plan.slug}“.")
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Benutzer „{username}“ fehlt.")
        if not policies.can_close_round(user, reporting_round):
            raise CommandError(
                f"{username} darf die Berichtsrunde „{reporting_round.name}“ nicht "
                "abschließen: Das darf nur die Koordination."
            )
        try:
            services.close_round(user, reporting_round)
        except services.MonitoringError as error:
            raise CommandError(f"{reporting_round.name}: {error.message}") from error
        self.stdout.write(
            f"Berichtsrunde „{reporting_round.name}“ abgeschlossen "
            f"({_moment(reporting_round.closed_at)})."
        )
