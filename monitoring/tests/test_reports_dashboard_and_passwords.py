"""Password hashing, report contents end to end, and the dashboard's counts per field.

Password hashing, the funding fields end to end, the dashboard's counts per field of action,
HTML in report texts, and the public status of a measure over several reporting rounds.
"""

from __future__ import annotations

import datetime
import html
import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from accounts.demo import ensure_demo_user
from monitoring import services
from monitoring.models import ReportingRound, StatusReport
from monitoring.tests.factories import World, lead
from plans.models import Measure
from plans.tests.factories import MeasureFactory, NodeFactory, PlacementFactory

State = StatusReport.State
FundingState = StatusReport.FundingState
User = get_user_model()


def report_url(report: StatusReport) -> str:
    return f"/intern/berichte/{report.pk}/"


def publish(world: World, report: StatusReport) -> StatusReport:
    """Submit, approve and publish the report as the coordination."""
    for step in (services.submit_report, services.approve_report, services.publish_report):
        report = step(world.coordination, StatusReport.objects.get(pk=report.pk))
    return StatusReport.objects.get(pk=report.pk)


# --- passwords -----------------------------------------------------------------------------


def test_a_user_created_with_create_user_gets_an_argon2_password_hash(db: Any) -> None:
    user = User.objects.create_user("neue-redakteurin", password="ein-langes-Passwort-2026")

    stored = User.objects.get(pk=user.pk).password

    assert stored.startswith("argon2$argon2id$")
    assert "ein-langes-Passwort-2026" not in stored


def test_a_user_the_coordination_adds_in_the_back_office_gets_an_argon2_password_hash(
    staff_client: Any, world: World
) -> None:
    response = staff_client("coordination").post(
        "/admin/auth/user/add/",
        {
            "username": "sachbearbeiterin",
            "usable_password": "true",
            "password1": "ein-langes-Passwort-2026",
            "password2": "ein-langes-Passwort-2026",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="sachbearbeiterin")
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("ein-langes-Passwort-2026")


def test_a_demo_user_gets_an_argon2_password_hash(
    db: Any, settings: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("KEK_DEMO_PASSWORD", "ein-langes-demo-passwort")

    ensure_demo_user("demo-redaktion")

    assert User.objects.get(username="demo-redaktion").password.startswith("argon2$argon2id$")


def test_an_old_pbkdf2_hash_is_upgraded_to_argon2_when_the_user_signs_in(
    client: Any, world: World, settings: Any
) -> None:
    user = world.user("editor_of_lead_office")
    project_hashers = list(settings.PASSWORD_HASHERS)
    assert project_hashers[0].endswith("Argon2PasswordHasher")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user.set_password("richtig-und-lang-genug")
    user.save()
    assert User.objects.get(pk=user.pk).password.startswith("pbkdf2_sha256$")
    settings.PASSWORD_HASHERS = project_hashers

    response = client.post(
        "/anmelden/", {"username": user.username, "password": "richtig-und-lang-genug"}
    )

    assert response["Location"] == "/intern/"
    assert User.objects.get(pk=user.pk).password.startswith("argon2$argon2id$")


# --- funding -------------------------------------------------------------------------------


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


# --- the round dashboard's counts per field of action --------------------------------------


def _measure_in_field_2(world: World, number: str) -> Measure:
    """A measure of field of action 2 that SLR leads."""
    measure = MeasureFactory(plan=world.plan, number=number, home_field=2)
    lead(PlacementFactory(measure=measure, goal_code="2.1"), world.slr)
    return measure


def _count_rows(page: str, caption: str) -> dict[str, list[int]]:
    """The rows of the count table with this caption: label → counts (last column: total)."""
    table = re.search(rf"<caption[^>]*>{caption}</caption>.*?</tbody>", page, re.S)
    assert table is not None, caption
    rows = re.findall(r'<th[^>]*scope="row">(.*?)</th>(.*?)</tr>', table.group(0), re.S)
    return {
        label: [int(n) for n in re.findall(r"<td[^>]*>(\d+)</td>", cells)] for label, cells in rows
    }


def test_dashboard_counts_the_reports_of_each_field_of_action_per_state(
    staff_client: Any, world: World
) -> None:
    NodeFactory(plan=world.plan, level=1, key="1", code="1", label="Wirtschaft", order=1)
    NodeFactory(plan=world.plan, level=1, key="2", code="2", label="Mobilität", order=2)
    approved = _measure_in_field_2(world, "2-1")
    draft = _measure_in_field_2(world, "2-2")
    returned = _measure_in_field_2(world, "2-3")
    _measure_in_field_2(world, "2-4")  # missing
    published = _measure_in_field_2(world, "2-5")
    world.report(State.SUBMITTED)  # 1-1; 1-2 is missing
    world.report(State.APPROVED, measure=approved)
    world.report(State.DRAFT, measure=draft)
    world.report(State.RETURNED, measure=returned)
    world.report(State.PUBLISHED, measure=published)

    response = staff_client("coordination").get(f"/intern/runden/{world.reporting_round.pk}/")

    dashboard = response.context["dashboard"]
    by_field = [(row.label, dict(+row.counts)) for row in dashboard.by_field]
    assert by_field == [
        ("1 Wirtschaft", {"missing": 1, "submitted": 1}),
        (
            "2 Mobilität",
            {"missing": 1, "draft": 1, "returned": 1, "approved": 1, "published": 1},
        ),
    ]
    # The table's columns: missing, draft, submitted, returned, approved, published, total.
    assert _count_rows(response.content.decode(), "Berichte je Handlungsfeld") == {
        "1 Wirtschaft": [1, 0, 1, 0, 0, 0, 2],
        "2 Mobilität": [1, 1, 0, 1, 1, 1, 5],
    }
    assert dashboard.totals.cells == [2, 1, 1, 1, 1, 1]


# --- HTML in report texts ------------------------------------------------------------------

MARKUP = "<script>alert(1)</script> <b>x</b>"
TEXTS = {
    "summary": f"Sachstand {MARKUP}",
    "next_steps": f"Nächste Schritte {MARKUP}",
    "obstacles": f"Hemmnisse {MARKUP}",
}


def _report_with_markup(world: World) -> StatusReport:
    report = world.report(State.DRAFT)
    services.save_report(world.coordination, report, TEXTS, report.version)
    return StatusReport.objects.get(pk=report.pk)


def _assert_shown_as_text(page: str, text: str) -> None:
    """The text is on the page with its markup escaped: "&lt;b&gt;x&lt;/b&gt;"."""
    assert html.escape(text, quote=False) in page


def test_html_in_report_texts_is_shown_as_text_on_the_staff_report_page(
    staff_client: Any, world: World
) -> None:
    report = publish(world, _report_with_markup(world))

    page = staff_client("coordination").get(report_url(report)).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "<b>x</b>" not in page
    for text in TEXTS.values():
        _assert_shown_as_text(page, text)


def test_html_in_report_texts_is_shown_as_text_in_the_report_form(
    staff_client: Any, world: World
) -> None:
    report = _report_with_markup(world)

    page = staff_client("editor_of_lead_office").get(report_url(report)).content.decode()

    assert 'name="summary"' in page  # the form
    assert "<script>alert(1)</script>" not in page
    assert "<b>x</b>" not in page
    for text in TEXTS.values():
        _assert_shown_as_text(page, text)


def test_html_in_report_texts_is_shown_as_text_on_the_public_measure_page(
    client: Any, world: World, settings: Any
) -> None:
    settings.KEK_PLAN_SLUG = world.plan.slug
    publish(world, _report_with_markup(world))
    cache.clear()

    response = client.get(f"/massnahmen/{world.measure.number}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in page
    assert "<b>x</b>" not in page
    _assert_shown_as_text(page, TEXTS["summary"])
    _assert_shown_as_text(page, TEXTS["next_steps"])


# --- the public status over several rounds -------------------------------------------------


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
