"""A report's funding: saved and shown in German, amounts typed and read the German way."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from monitoring import report_values, services
from monitoring.forms import ReportForm
from monitoring.models import StatusReport
from monitoring.tests.factories import World
from plans.models import Step

State = StatusReport.State
FundingState = StatusReport.FundingState


def _page(response: Any) -> str:
    return response.content.decode()


def report_url(report: StatusReport) -> str:
    return f"/intern/berichte/{report.pk}/"


def publish(world: World, report: StatusReport) -> StatusReport:
    """Submit, approve and publish the report as the coordination."""
    for step in (services.submit_report, services.approve_report, services.publish_report):
        report = step(world.coordination, StatusReport.objects.get(pk=report.pk))
    return StatusReport.objects.get(pk=report.pk)


@pytest.mark.parametrize(
    ("funding_state", "german_label"),
    [
        (FundingState.APPLIED, "beantragt"),
        (FundingState.GRANTED, "bewilligt"),
        (FundingState.REJECTED, "abgelehnt"),
    ],
)
def test_a_saved_report_keeps_its_funding_and_the_staff_page_shows_it_in_german(
    staff_client: Any, world: World, funding_state: str, german_label: str
) -> None:
    report = world.report(State.DRAFT)
    services.save_report(
        world.coordination,
        report,
        {
            "funding_programme": "LEADER Leipziger Muldenland",
            "funding_state": funding_state,
            "funding_amount": Decimal("1234567.5"),
        },
        report.version,
    )
    report = publish(world, report)  # published: the staff page only reads it

    assert report.funding_programme == "LEADER Leipziger Muldenland"
    assert report.funding_state == funding_state
    assert report.funding_amount == Decimal("1234567.50")
    response = staff_client("coordination").get(report_url(report))
    page = response.content.decode()
    assert 'name="funding_amount"' not in page  # the read-only page, not the form
    values = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", page))
    assert values["Förderprogramm"] == "LEADER Leipziger Muldenland"
    assert values["Stand der Förderung"] == german_label
    assert values["Förderbetrag (€)"] == "1.234.567,50\N{NO-BREAK SPACE}€"


def test_a_report_without_funding_reads_as_no_funding_on_the_staff_page(
    staff_client: Any, world: World
) -> None:
    report = world.report(State.PUBLISHED)

    page = staff_client("coordination").get(report_url(report)).content.decode()

    values = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", page))
    assert values["Förderprogramm"] == "–"
    assert values["Stand der Förderung"] == "keine Förderung"
    assert values["Förderbetrag (€)"] == "–"


def test_funding_amount_accepts_german_input_with_and_without_thousands(world: World) -> None:
    report = world.report()
    for typed in ("12500,50", "12.500,50", "12.500,50 €"):
        data = {"version": report.version, f"step_{Step.objects.get().pk}": "open"}
        form = ReportForm.for_report(report, {**data, "funding_amount": typed})
        assert form.is_valid(), (typed, form.errors)
        assert form.cleaned_data["funding_amount"] == Decimal("12500.50")


def test_amounts_read_german_in_history_conflict_and_read_only_report(
    staff_client: Any, world: World
) -> None:
    assert report_values.display("funding_amount", Decimal("12500.50")) == "12.500,50\xa0€"
    report = world.report(State.SUBMITTED)
    StatusReport.objects.filter(pk=report.pk).update(funding_amount=Decimal("12500.50"))
    page = _page(staff_client("reader").get(f"/intern/berichte/{report.pk}/"))
    assert "12.500,50\xa0€" in page


def test_the_form_shows_a_stored_amount_with_a_decimal_comma_and_grouped_thousands(
    staff_client: Any, world: World
) -> None:
    report = world.report()
    StatusReport.objects.filter(pk=report.pk).update(funding_amount=Decimal("1250000.50"))
    page = _page(staff_client("editor_of_lead_office").get(f"/intern/berichte/{report.pk}/"))
    assert 'value="1.250.000,50"' in page
