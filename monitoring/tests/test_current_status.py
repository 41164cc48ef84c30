"""What "the current status of a measure" means (`StatusReport.objects.giving_status`).

Each case states the expected report by hand; nothing here computes the rule a second way.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Membership
from monitoring import reads, rollups, services
from monitoring.models import ReportingRound, StatusReport
from monitoring.tests.factories import UserFactory
from plans.models import Measure, Organisation


class Rounds:
    """The KEK 2030 plan with a coordination account, its statuses and its offices."""

    def __init__(self, plan: Any) -> None:
        self.plan = plan
        self.coordination = UserFactory(username="koordination")
        Membership.objects.create(
            user=self.coordination, plan=plan, role=Membership.Role.COORDINATION
        )
        self.statuses = {s.key: s for s in services.ensure_default_statuses(plan)}

    def open(self, year: int) -> ReportingRound:
        date = datetime.date(year, 6, 30)
        name = f"Monitoring {year} ({ReportingRound.objects.count() + 1})"
        return services.open_round(self.coordination, self.plan, name, date, date)

    def measure(self, number: str) -> Measure:
        return Measure.objects.get(plan=self.plan, number=number)

    def office(self, abbreviation: str) -> Organisation:
        return Organisation.objects.get(plan=self.plan, abbreviation=abbreviation)

    def publish(
        self, reporting_round: ReportingRound, number: str, status: str, office: str = "SLR"
    ) -> StatusReport:
        """A report taken through the whole workflow by the coordination."""
        report = services.start_report(
            self.coordination, reporting_round, self.measure(number), self.office(office)
        )
        data = {"status": self.statuses[status], "progress": 10, "summary": "Stand"}
        report = services.save_report(self.coordination, report, data, report.version)
        for step in (services.submit_report, services.approve_report, services.publish_report):
            report.refresh_from_db()
            step(self.coordination, report)
        return StatusReport.objects.get(pk=report.pk)

    def current(self, number: str, as_of: ReportingRound | None = None) -> StatusReport | None:
        return reads.current_statuses(self.plan, as_of=as_of).get(self.measure(number).pk)


@pytest.fixture
def rounds(kek_plan: Any) -> Rounds:
    return Rounds(kek_plan)


def test_a_measure_not_reported_in_the_newest_round_keeps_its_last_published_status(rounds):
    earlier, newest = rounds.open(2025), rounds.open(2026)
    report = rounds.publish(earlier, "2-96", "in_progress")
    rounds.publish(newest, "2-84", "implemented")

    assert rounds.current("2-96") == report
    assert rounds.current("2-96").reporting_round == earlier


def test_the_newer_round_wins_even_when_the_older_round_was_published_later(rounds):
    newest, earlier = rounds.open(2026), rounds.open(2025)  # opened in reverse order
    newer = rounds.publish(newest, "2-84", "implemented")
    rounds.publish(earlier, "2-84", "in_progress")  # published last

    assert rounds.current("2-84") == newer


def test_of_two_rounds_with_the_same_reporting_date_the_one_opened_later_wins(rounds):
    first, second = rounds.open(2026), rounds.open(2026)
    assert first.reporting_date == second.reporting_date
    from_second = rounds.publish(second, "2-84", "delayed")
    rounds.publish(first, "2-84", "implemented")

    assert rounds.current("2-84") == from_second


def test_of_several_offices_in_one_round_the_report_published_last_wins(rounds):
    reporting_round = rounds.open(2026)
    by_slr = rounds.publish(reporting_round, "2-84", "delayed", office="SLR")
    by_va = rounds.publish(reporting_round, "2-84", "in_progress", office="VA")
    now = timezone.now()
    StatusReport.objects.filter(pk=by_va.pk).update(published_at=now - datetime.timedelta(days=1))
    StatusReport.objects.filter(pk=by_slr.pk).update(published_at=now)

    assert rounds.current("2-84") == by_slr


def test_drafts_deleted_reports_and_deleted_measures_give_no_status(rounds):
    earlier, newest = rounds.open(2025), rounds.open(2026)
    kept = rounds.publish(earlier, "2-1", "delayed")
    withdrawn = rounds.publish(newest, "2-1", "implemented")
    StatusReport.objects.filter(pk=withdrawn.pk).update(is_deleted=True)
    services.start_report(rounds.coordination, newest, rounds.measure("2-2"), rounds.office("SLR"))
    gone = rounds.measure("2-96")
    rounds.publish(newest, "2-96", "implemented")
    Measure.objects.filter(pk=gone.pk).update(deleted_at=timezone.now())

    assert rounds.current("2-1") == kept  # the deleted newer report does not count
    assert rounds.current("2-2") is None  # a draft only
    assert gone.pk not in reads.current_statuses(rounds.plan)
    assert set(reads.current_statuses(rounds.plan)) == {rounds.measure("2-1").pk}


def test_as_of_a_round_later_rounds_do_not_count(rounds):
    earlier, newest, later = rounds.open(2025), rounds.open(2026), rounds.open(2027)
    in_2025 = rounds.publish(earlier, "2-84", "in_progress")
    in_2026 = rounds.publish(newest, "2-84", "implemented")
    rounds.publish(later, "2-84", "delayed")

    assert rounds.current("2-84", as_of=earlier) == in_2025
    assert rounds.current("2-84", as_of=newest) == in_2026
    assert rounds.current("2-96", as_of=newest) is None


def test_the_status_filter_finds_a_measure_by_its_current_status_only(rounds):
    earlier, newest = rounds.open(2025), rounds.open(2026)
    rounds.publish(earlier, "2-96", "in_progress")  # only reported in the earlier round
    rounds.publish(earlier, "2-84", "in_progress")
    rounds.publish(newest, "2-84", "implemented")  # no longer "in progress"

    def numbers(key: str) -> set[str]:
        ids = rollups.measure_ids_with_status(rounds.plan, key)
        return set(Measure.objects.filter(pk__in=ids).values_list("number", flat=True))

    assert numbers("in_progress") == {"2-96"}
    assert numbers("implemented") == {"2-84"}


def test_a_measures_history_lists_its_published_reports_newest_first(rounds):
    earlier, newest = rounds.open(2025), rounds.open(2026)
    a = rounds.publish(newest, "2-84", "delayed", office="SLR")
    b = rounds.publish(newest, "2-84", "in_progress", office="VA")
    c = rounds.publish(earlier, "2-84", "not_started")
    services.start_report(rounds.coordination, newest, rounds.measure("2-84"), rounds.office("UWA"))

    history = reads.published_history(rounds.measure("2-84"))

    assert history == [b, a, c]  # VA published after SLR in the newest round
    assert history[0] == rounds.current("2-84")
