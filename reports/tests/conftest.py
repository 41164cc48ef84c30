"""Fixtures of the report's tests: KEK 2030 with two closed rounds, every measure reported."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from monitoring.models import ReportingRound, StatusReport
from plans.models import Measure, Organisation, Plan
from reports.example import full_round

# Texts that only the internal report may show.
UNPUBLISHED_TEXT = "Unveröffentlichter Entwurfstext XYZ"


@dataclass
class Rounds:
    """KEK 2030 with a closed round 2025 and a closed round 2026 (and a draft in 2026)."""

    plan: Plan
    previous: ReportingRound
    latest: ReportingRound
    unpublished: StatusReport


@pytest.fixture
def rounds(kek_plan: Plan, settings: Any, tmp_path: Any) -> Rounds:
    """Two closed rounds of KEK 2030 in which every measure was published, plus a submitted
    report of another office in the newer round (published reports never include it)."""
    settings.VAR_DIR = tmp_path
    settings.KEK_PLAN_SLUG = kek_plan.slug
    previous = full_round(kek_plan, "Monitoring 2025", datetime.date(2025, 6, 30))
    # Closed only after the unpublished report is in: nothing can be added to a closed round.
    latest = full_round(
        kek_plan, "Monitoring 2026", datetime.date(2026, 6, 30), shift=1, close=False
    )
    measure = Measure.objects.get(plan=kek_plan, number="1-1")
    reporter = StatusReport.objects.get(reporting_round=latest, measure=measure).organisation
    other = Organisation.objects.filter(plan=kek_plan).exclude(pk=reporter.pk).first()
    unpublished = StatusReport.objects.create(
        reporting_round=latest,
        measure=measure,
        organisation=other,
        summary=UNPUBLISHED_TEXT,
        state=StatusReport.State.SUBMITTED,
        submitted_at=timezone.now(),
    )
    latest.state = ReportingRound.State.CLOSED
    latest.closed_at = timezone.now()
    latest.save(update_fields=["state", "closed_at"])
    return Rounds(kek_plan, previous, latest, unpublished)
