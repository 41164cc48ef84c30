"""What the public measure page says about a published report, in German."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.cache import cache

from accounts.models import Membership
from monitoring import services
from monitoring.tests.factories import UserFactory
from plans.models import Measure, Organisation


def test_the_public_measure_page_states_the_progress_in_german(
    client: Any, kek_plan: Any, settings: Any
) -> None:
    settings.KEK_PLAN_SLUG = kek_plan.slug
    coordination = UserFactory(username="koordination")
    Membership.objects.create(user=coordination, plan=kek_plan, role=Membership.Role.COORDINATION)
    reporting_round = services.open_round(
        coordination,
        kek_plan,
        "Monitoring 2026",
        datetime.date(2026, 6, 30),
        datetime.date(2026, 9, 30),
    )
    measure = Measure.objects.get(plan=kek_plan, number="2-84")
    slr = Organisation.objects.get(plan=kek_plan, abbreviation="SLR")
    report = services.start_report(coordination, reporting_round, measure, slr)
    services.save_report(coordination, report, {"progress": 60}, report.version)
    services.submit_report(coordination, report)
    services.approve_report(coordination, report)
    services.publish_report(coordination, report)
    cache.clear()

    page = client.get("/massnahmen/2-84/").content.decode()

    assert "zu 60 % umgesetzt" in page
    assert "% done" not in page
