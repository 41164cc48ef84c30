"""Example rounds for the report's benchmark, tests and looks: every measure reported.

Written in bulk (not through the workflow services, which would take minutes for a whole
plan): the reports are published and the rounds closed as `monitoring.services` leaves them.
The texts say they are example data.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from monitoring import services
from monitoring.models import ReportingRound, StatusOption, StatusReport
from plans.models import Measure, Organisation, Plan

OBSTACLE_MARK = "Beispiel-Hemmnis"


def full_round(
    plan: Plan,
    name: str,
    reporting_date: datetime.date,
    *,
    shift: int = 0,
    close: bool = True,
) -> ReportingRound:
    """A round in which every measure of the plan has a published report (and is closed).

    `shift` moves the status of every fourth measure by that many places, so that two
    rounds differ as real ones do: in part.
    """
    statuses = services.ensure_default_statuses(plan)
    fallback = Organisation.objects.filter(plan=plan).order_by("pk").values_list("pk", flat=True)[0]
    leads = {
        measure_id: organisation_id
        for measure_id, organisation_id in Measure.objects.filter(plan=plan)
        .order_by("-placements__order")
        .values_list("pk", "placements__lead_rows__organisation_id")
        if organisation_id
    }
    now = timezone.now()
    reporting_round = ReportingRound.objects.create(
        plan=plan,
        name=name,
        reporting_date=reporting_date,
        deadline=reporting_date + datetime.timedelta(days=92),
    )
    measures = list(Measure.objects.filter(plan=plan).in_number_order())

    def status_of(position: int) -> StatusOption:
        moved = shift if position % 4 == 0 else 0
        return statuses[(position * 3 + moved) % len(statuses)]

    StatusReport.objects.bulk_create(
        (
            StatusReport(
                reporting_round=reporting_round,
                measure=measure,
                organisation_id=leads.get(measure.pk, fallback),
                status=status_of(position),
                progress=None
                if status_of(position).is_continuous
                else (position * 7 + shift * 10) % 101,
                summary=f"Beispieldaten: Sachstand zu {measure.number} am "
                f"{reporting_date:%d.%m.%Y}. Die Arbeiten laufen nach Plan; "
                "die Abstimmung mit den Beteiligten ist erfolgt.",
                next_steps="Beispieldaten: Ausschreibung vorbereiten, Fördermittel beantragen.",
                obstacles=f"{OBSTACLE_MARK}: Personal fehlt im Amt.",
                state=StatusReport.State.PUBLISHED,
                published_at=now,
            )
            for position, measure in enumerate(measures)
        ),
        batch_size=1000,
    )
    if close:
        reporting_round.state = ReportingRound.State.CLOSED
        reporting_round.closed_at = now
        reporting_round.save(update_fields=["state", "closed_at"])
    return reporting_round
