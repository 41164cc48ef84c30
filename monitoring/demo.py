"""Demo data of monitoring: staff accounts with roles, a demo round and a few demo reports."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.demo import DemoLogin, ensure_demo_user
from accounts.models import Membership
from plans.models import Measure, Organisation, Plan

from . import comments, policies, services
from .models import ReportingRound, StatusOption, StatusReport

Role = Membership.Role
DEMO_ROUND_NAME = "Monitoring 2026 (Demo)"
DEMO_MARK = "[Demo]"

# username → role, organisation abbreviation, German description for the terminal.
DEMO_USERS: dict[str, tuple[Role, str | None, str]] = {
    "koordination": (Role.COORDINATION, "SLR", "Koordination Kreisentwicklung"),
    "redaktion-afs": (Role.EDITOR, "AfS", "Amt-Redaktion AfS"),
    "redaktion-slr": (Role.EDITOR, "SLR", "Amt-Redaktion SLR"),
    "beteiligte-uwa": (Role.PARTICIPANT, "UWA", "Beteiligte UWA"),
    "leser": (Role.READER, None, "Leser (intern)"),
}


@dataclass(frozen=True)
class DemoAccount:
    """A demo login with the role it plays."""

    login: DemoLogin
    description: str


@transaction.atomic
def ensure_demo_members(plan: Plan) -> list[DemoAccount]:
    """Create the demo users and their memberships in the plan (idempotent)."""
    accounts = []
    for username, (role, abbreviation, description) in DEMO_USERS.items():
        login = ensure_demo_user(username)
        organisation = (
            Organisation.objects.get(plan=plan, abbreviation=abbreviation) if abbreviation else None
        )
        Membership.objects.update_or_create(
            user=get_user_model().objects.get(username=username),
            plan=plan,
            defaults={"role": role, "organisation": organisation},
        )
        accounts.append(DemoAccount(login=login, description=description))
    return accounts


@transaction.atomic
def ensure_demo_round(plan: Plan) -> tuple[ReportingRound, bool]:
    """Open the demo round with a few demo reports in different states, once."""
    existing = ReportingRound.objects.filter(plan=plan, name=DEMO_ROUND_NAME).first()
    if existing is not None:
        return existing, False
    # A demo round: its example texts never pre-fill the reports of a real round.
    users = get_user_model().objects.in_bulk(list(DEMO_USERS), field_name="username")
    coordination = users["koordination"]
    reporting_round = services.open_round(
        coordination,
        plan,
        DEMO_ROUND_NAME,
        datetime.date(2026, 6, 30),
        datetime.date(2026, 9, 30),
        is_demo=True,
    )
    statuses = {s.key: s for s in StatusOption.objects.filter(plan=plan)}
    # office user, how far the report goes, status key, progress, text
    plans_for_reports = [
        ("redaktion-afs", "published", "in_progress", 40, "Die Planung ist abgeschlossen."),
        ("redaktion-afs", "submitted", "in_preparation", 10, "Fördermittel sind beantragt."),
        ("redaktion-slr", "approved", "continuous", None, "Das Format läuft weiter."),
        ("redaktion-slr", "returned", "delayed", 20, "Personal fehlt derzeit."),
        ("redaktion-slr", "draft", "not_started", 0, "Noch nicht begonnen."),
    ]
    taken: set[int] = set()
    for username, target, status_key, progress, text in plans_for_reports:
        editor = users[username]
        measure = (
            policies.measures_reportable_by(editor, plan)
            .exclude(pk__in=taken)
            .order_by("field_part", "seq")
            .first()
        )
        if measure is None:
            continue
        taken.add(measure.pk)
        report = services.start_report(editor, reporting_round, measure)
        services.save_report(
            editor,
            report,
            {
                "status": statuses[status_key],
                "progress": progress,
                "summary": f"{DEMO_MARK} {text} (Beispieldaten, keine echten Angaben)",
                "next_steps": f"{DEMO_MARK} Nächste Schritte werden abgestimmt.",
            },
            report.version,
        )
        if target == "draft":
            continue
        services.submit_report(editor, report)
        if target == "returned":
            services.return_report(coordination, report, f"{DEMO_MARK} Bitte Hemmnisse ergänzen.")
        elif target in ("approved", "published"):
            services.approve_report(coordination, report)
            if target == "published":
                services.publish_report(coordination, report)
    _add_demo_comment(users["beteiligte-uwa"], plan, taken)
    return reporting_round, True


def _add_demo_comment(participant: object, plan: Plan, reported: set[int]) -> None:
    """A comment of the participating office on a measure it takes part in (a reported one
    if there is one)."""
    candidates = Measure.objects.filter(
        plan=plan, placements__participant_rows__organisation__memberships__user=participant
    ).distinct()
    measure = candidates.filter(pk__in=reported).first() or candidates.first()
    if measure is not None:
        comments.add_comment(
            participant,
            measure,
            f"{DEMO_MARK} Das Umweltamt prüft gern die Flächen mit; bitte früh einbinden.",
        )


def demo_report_count(reporting_round: ReportingRound) -> int:
    """How many reports the demo round holds."""
    return StatusReport.objects.current().filter(reporting_round=reporting_round).count()
