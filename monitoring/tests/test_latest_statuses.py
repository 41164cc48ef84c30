"""The plain-SQL reads of published reports agree with the ORM's published reports."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from accounts.models import Membership
from monitoring import services
from monitoring.models import StatusOption, StatusReport
from monitoring.reads import LatestStatus, latest_statuses, measure_history
from monitoring.tests.factories import UserFactory
from plans.models import Measure, Organisation


def _publish(coordination, reporting_round, measure, office, status, progress) -> StatusReport:
    report = services.start_report(coordination, reporting_round, measure, office)
    data = {"status": status, "progress": progress, "summary": "Stand"}
    report = services.save_report(coordination, report, data, report.version)
    for step in (services.submit_report, services.approve_report, services.publish_report):
        report.refresh_from_db()
        step(coordination, report)
    report.refresh_from_db()
    return report


def _coordination_with_rounds(plan, years: tuple[int, ...]):
    """A coordination account and a round per year (reporting date 30 June)."""
    coordination = UserFactory(username="koordination")
    Membership.objects.create(user=coordination, plan=plan, role=Membership.Role.COORDINATION)
    rounds = [
        services.open_round(
            coordination, plan, f"Monitoring {y}", datetime.date(y, 6, 30), datetime.date(y, 9, 30)
        )
        for y in years
    ]
    return coordination, rounds


def _reference(plan) -> dict[int, LatestStatus]:
    """The newest published report per measure, read through the ORM's managers."""
    latest: dict[int, LatestStatus] = {}
    for report in (
        StatusReport.objects.published()
        .filter(reporting_round__plan=plan)
        .select_related("status")
        .order_by("measure_id", "-reporting_round__reporting_date", "-published_at")
    ):
        latest.setdefault(
            report.measure_id, LatestStatus(report.status_id, report.status.label, report.progress)
        )
    return latest


def test_latest_statuses_match_the_published_reports_of_the_orm(kek_plan: Any) -> None:
    coordination, (round_2026, round_2025) = _coordination_with_rounds(kek_plan, (2026, 2025))
    # Opening a round gives the plan its default statuses.
    statuses = list(
        StatusOption.objects.filter(plan=kek_plan, is_continuous=False).order_by("order")
    )
    slr = Organisation.objects.get(plan=kek_plan, abbreviation="SLR")
    m = {n: Measure.objects.get(plan=kek_plan, number=n) for n in ("2-84", "2-96", "2-1", "2-2")}
    # 2-84: reported in two rounds, published in reverse order; the 2026 report wins.
    _publish(coordination, round_2026, m["2-84"], slr, statuses[2], 60)
    _publish(coordination, round_2025, m["2-84"], slr, statuses[1], 20)
    # 2-96: its only published report is deleted afterwards; 2-1: its measure is deleted.
    deleted = _publish(coordination, round_2026, m["2-96"], slr, statuses[3], 100)
    StatusReport.objects.filter(pk=deleted.pk).update(is_deleted=True)
    _publish(coordination, round_2026, m["2-1"], slr, statuses[1], 10)
    Measure.objects.filter(pk=m["2-1"].pk).update(deleted_at=timezone.now())
    # 2-2: a draft only.
    services.start_report(coordination, round_2026, m["2-2"], slr)

    latest = latest_statuses(kek_plan)

    assert latest == _reference(kek_plan)
    assert latest == {m["2-84"].pk: LatestStatus(statuses[2].pk, statuses[2].label, 60)}
    ids = [m["2-84"].pk, m["2-96"].pk, m["2-2"].pk]
    assert latest_statuses(kek_plan, ids) == latest
    assert latest_statuses(kek_plan, []) == {}


def test_a_measures_history_lists_its_published_reports_as_the_orm_does(kek_plan: Any) -> None:
    coordination, rounds = _coordination_with_rounds(kek_plan, (2026, 2025, 2027))
    statuses = list(
        StatusOption.objects.filter(plan=kek_plan, is_continuous=False).order_by("order")
    )
    measure = Measure.objects.get(plan=kek_plan, number="2-84")  # led by VA and SLR, among others
    slr, va = (Organisation.objects.get(plan=kek_plan, abbreviation=a) for a in ("SLR", "VA"))
    _publish(coordination, rounds[0], measure, slr, statuses[1], 20)
    _publish(coordination, rounds[0], measure, va, statuses[2], 30)
    _publish(coordination, rounds[1], measure, slr, statuses[1], 10)
    deleted = _publish(coordination, rounds[2], measure, slr, statuses[3], 100)
    StatusReport.objects.filter(pk=deleted.pk).update(is_deleted=True)
    services.start_report(coordination, rounds[2], measure, va)  # a draft

    history = measure_history(measure)

    expected = [
        (r.reporting_round.name, r.organisation.abbreviation, r.status.label, r.progress)
        for r in StatusReport.objects.published()
        .filter(measure=measure)
        .order_by("-reporting_round__reporting_date", "organisation__abbreviation")
    ]
    assert [(h.round_name, h.office, h.status_label, h.progress) for h in history] == expected
    assert [(h.round_name, h.office) for h in history] == [
        ("Monitoring 2026", "SLR"),
        ("Monitoring 2026", "VA"),
        ("Monitoring 2025", "SLR"),
    ]
    assert history[0].summary == "Stand"
