"""What the public measure page says about published reports, in German, over the rounds."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

from django.core.cache import cache

from accounts.models import Membership
from monitoring import services
from monitoring.models import ReportingRound, StatusReport
from monitoring.tests.factories import UserFactory, World
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


def publish(world: World, report: StatusReport) -> StatusReport:
    """Submit, approve and publish the report as the coordination."""
    for step in (services.submit_report, services.approve_report, services.publish_report):
        report = step(world.coordination, StatusReport.objects.get(pk=report.pk))
    return StatusReport.objects.get(pk=report.pk)


def _published_in_round(
    world: World, reporting_round: ReportingRound, status_key: str, progress: int, summary: str
) -> StatusReport:
    report = services.start_report(world.coordination, reporting_round, world.measure, world.afs)
    status = world.plan.status_options.get(key=status_key)
    services.save_report(
        world.coordination,
        report,
        {"status": status, "progress": progress, "summary": summary},
        report.version,
    )
    return publish(world, report)


def test_the_public_measure_page_lists_every_round_newest_first_and_heads_with_the_newest(
    client: Any, world: World, settings: Any
) -> None:
    settings.KEK_PLAN_SLUG = world.plan.slug
    coordination = world.coordination
    # Opened (and published) in an order that is neither by date nor against it.
    round_2026 = world.reporting_round
    round_2025 = services.open_round(
        coordination,
        world.plan,
        "Monitoring 2025",
        datetime.date(2025, 6, 30),
        datetime.date(2025, 9, 30),
    )
    round_2027 = services.open_round(
        coordination,
        world.plan,
        "Monitoring 2027",
        datetime.date(2027, 6, 30),
        datetime.date(2027, 9, 30),
    )
    _published_in_round(world, round_2026, "in_progress", 40, "Stand 2026")
    _published_in_round(world, round_2027, "implemented", 100, "Stand 2027")
    _published_in_round(world, round_2025, "in_preparation", 10, "Stand 2025")
    labels = dict(world.plan.status_options.values_list("key", "label"))
    cache.clear()

    page = client.get(f"/massnahmen/{world.measure.number}/").content.decode()

    table = re.search(r"<caption[^>]*>Stand in den Berichtsrunden</caption>.*?</tbody>", page, re.S)
    assert table is not None
    rows = [
        [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells]
        for cells in (
            re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(0), re.S)
        )
        if cells
    ]
    assert rows == [
        ["Monitoring 2027", "AfS", labels["implemented"], "100 %"],
        ["Monitoring 2026", "AfS", labels["in_progress"], "40 %"],
        ["Monitoring 2025", "AfS", labels["in_preparation"], "10 %"],
    ]
    start = page.index('portal-current-status">')
    headline = re.sub(r"<[^>]+>", "", page[start : page.index("</p>", start)]).split(">", 1)[1]
    assert " ".join(headline.split()) == f"{labels['implemented']} zu 100 % umgesetzt"
    assert "Stand: Monitoring 2027 (Stichtag 30. Juni 2027), berichtet von AfS." in page
    assert "Stand 2027" in page
    assert "Stand 2026" not in page and "Stand 2025" not in page
