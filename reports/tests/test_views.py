"""The public report pages (/berichte/…), the PDF's cache and the staff download."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Membership
from monitoring.models import ReportingRound
from reports import rendering
from reports.example import OBSTACLE_MARK
from reports.tests.conftest import UNPUBLISHED_TEXT, Rounds


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


def test_the_list_shows_closed_rounds_with_their_page_and_pdf(client: Any, rounds: Rounds):
    ReportingRound.objects.create(
        plan=rounds.plan,
        name="Monitoring 2027",
        reporting_date=datetime.date(2027, 6, 30),
        deadline=datetime.date(2027, 9, 30),
    )

    response = client.get("/berichte/")

    html = response.content.decode()
    assert response.status_code == 200
    assert h1_count(html) == 1
    assert 'href="/berichte/monitoring-2026/"' in html
    assert 'href="/berichte/monitoring-2025.pdf"' in html
    assert "monitoring-2027" not in html  # still open
    assert html.index("monitoring-2026") < html.index("monitoring-2025")


def test_the_list_shows_a_round_as_soon_as_it_is_closed(client: Any, rounds: Rounds):
    third = ReportingRound.objects.create(
        plan=rounds.plan,
        name="Monitoring 2027",
        reporting_date=datetime.date(2027, 6, 30),
        deadline=datetime.date(2027, 9, 30),
    )
    assert "monitoring-2027" not in client.get("/berichte/").content.decode()

    third.state = ReportingRound.State.CLOSED
    third.closed_at = timezone.now()
    third.save()

    assert "monitoring-2027" in client.get("/berichte/").content.decode()


def test_the_list_dates_an_amended_round_by_its_closing_after_the_reopening(
    client: Any, rounds: Rounds
):
    """The same date as the measure page and the staff area (`ReportingRound.amended_at`)."""
    rounds.latest.reopened_at = datetime.datetime(2026, 9, 1, 10, tzinfo=datetime.UTC)
    rounds.latest.closed_at = datetime.datetime(2026, 9, 14, 10, tzinfo=datetime.UTC)
    rounds.latest.save()

    html = client.get("/berichte/").content.decode()

    assert "nach dem Abschluss geändert, geändert am 14. September 2026" in html
    assert "1. September 2026" not in html


def test_the_report_page_has_one_h1_and_only_public_content(client: Any, rounds: Rounds):
    response = client.get("/berichte/monitoring-2026/")

    html = response.content.decode()
    assert response.status_code == 200
    assert h1_count(html) == 1
    assert "Umsetzungsbericht Monitoring 2026" in html
    assert 'id="massnahme-2-84"' in html
    assert 'href="/berichte/monitoring-2026.pdf"' in html
    assert OBSTACLE_MARK not in html
    assert UNPUBLISHED_TEXT not in html
    assert "Interne Fassung" not in html


@pytest.mark.parametrize(
    "url", ["/berichte/monitoring-2099/", "/berichte/monitoring-2099.pdf", "/berichte/x/"]
)
def test_an_unknown_round_is_not_found(client: Any, rounds: Rounds, url: str):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/berichte/monitoring-2027/", "/berichte/monitoring-2027.pdf"])
def test_an_open_round_has_no_public_report(client: Any, rounds: Rounds, url: str):
    ReportingRound.objects.create(
        plan=rounds.plan,
        name="Monitoring 2027",
        reporting_date=datetime.date(2027, 6, 30),
        deadline=datetime.date(2027, 9, 30),
    )

    assert client.get(url).status_code == 404


def test_latest_names_the_newest_closed_round(client: Any, rounds: Rounds):
    response = client.get("/berichte/latest/")

    assert response.status_code == 200
    assert "Umsetzungsbericht Monitoring 2026" in response.content.decode()


def test_the_pdf_is_rendered_once_per_state_of_the_round(
    client: Any, rounds: Rounds, monkeypatch: Any
):
    made: list[str] = []

    def fake_pdf(report: Any) -> bytes:
        made.append(report.reporting_round.name)
        return b"%PDF-1.7 " + report.title.encode()

    monkeypatch.setattr(rendering, "render_pdf", fake_pdf)

    first = client.get("/berichte/monitoring-2026.pdf")
    second = client.get("/berichte/monitoring-2026.pdf")
    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert "inline" in first["Content-Disposition"]
    assert first.content.startswith(b"%PDF")
    assert second.content == b"%PDF-1.7 Umsetzungsbericht Monitoring 2026"
    assert made == ["Monitoring 2026"]

    rounds.latest.reopened_at = timezone.now()  # reopened and closed again: amended
    rounds.latest.save()
    client.get("/berichte/monitoring-2026.pdf")
    assert made == ["Monitoring 2026", "Monitoring 2026"]


def test_the_measure_page_links_its_status_to_the_rounds_report(client: Any, rounds: Rounds):
    html = client.get("/massnahmen/1-1/").content.decode()

    assert 'href="/berichte/monitoring-2026/#massnahme-1-1"' in html
    assert 'href="/berichte/monitoring-2025/#massnahme-1-1"' in html


def test_the_portal_footer_links_the_reports(client: Any, rounds: Rounds):
    assert 'href="/berichte/"' in client.get("/").content.decode()


def member(plan: Any, role: str = Membership.Role.READER) -> Any:
    user = get_user_model().objects.create(username=f"mitglied-{role}")
    Membership.objects.create(user=user, plan=plan, role=role)
    return user


def test_the_staff_download_needs_a_login(client: Any, rounds: Rounds):
    response = client.get(f"/intern/umsetzungsbericht/{rounds.latest.pk}/?format=html")

    assert response.status_code == 302
    assert response["Location"].startswith("/anmelden/")


def test_the_staff_download_refuses_users_without_a_role(client: Any, rounds: Rounds):
    client.force_login(get_user_model().objects.create(username="ohne-rolle"))

    response = client.get(f"/intern/umsetzungsbericht/{rounds.latest.pk}/?format=html&intern=1")

    assert response.status_code == 403
    assert OBSTACLE_MARK.encode() not in response.content


def test_a_member_downloads_the_internal_report_as_html(client: Any, rounds: Rounds):
    client.force_login(member(rounds.plan))

    response = client.get(f"/intern/umsetzungsbericht/{rounds.latest.pk}/?format=html&intern=1")

    html = response.content.decode()
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert OBSTACLE_MARK in html
    assert UNPUBLISHED_TEXT in html


def test_the_staff_download_without_intern_is_the_public_report(client: Any, rounds: Rounds):
    client.force_login(member(rounds.plan))

    html = client.get(f"/intern/umsetzungsbericht/{rounds.latest.pk}/?format=html").content
    assert OBSTACLE_MARK.encode() not in html
    assert UNPUBLISHED_TEXT.encode() not in html


def test_the_staff_download_of_a_round_of_another_plan_is_not_found(client: Any, rounds: Rounds):
    client.force_login(member(rounds.plan))

    assert client.get("/intern/umsetzungsbericht/999999/?format=html").status_code == 404


def test_the_staff_round_list_offers_the_report_downloads(client: Any, rounds: Rounds):
    client.force_login(member(rounds.plan, Membership.Role.COORDINATION))

    html = client.get("/intern/runden/").content.decode()

    assert f'href="/intern/umsetzungsbericht/{rounds.latest.pk}/?format=pdf&amp;intern=1"' in html
    assert "interne Fassung (PDF)" in html
