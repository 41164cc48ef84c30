"""The staff area per persona: who sees what, who may change what, conflicts, reminders."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from monitoring.models import Event, StatusReport
from monitoring.tests.factories import World

State = StatusReport.State

STAFF_PAGES = ["/intern/", "/intern/massnahmen/", "/intern/runden/"]


def report_url(report: StatusReport, suffix: str = "") -> str:
    return f"/intern/berichte/{report.pk}/{suffix}"


def form_data(report: StatusReport, **values: Any) -> dict[str, Any]:
    """The report form as the browser posts it, with some values changed."""
    data = {
        "version": report.version,
        "status": report.status_id or "",
        "progress": report.progress if report.progress is not None else "",
        "summary": report.summary,
        "next_steps": "",
        "obstacles": "",
        "funding_programme": "",
        "funding_state": "",
        "funding_amount": "",
        "expected_completion": "",
    }
    for target in report.measure.placements.get().steps.all():
        data[f"step_{target.pk}"] = "open"
    data.update(values)
    return data


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_anonymous_visitor_is_sent_to_the_login_page(staff_client: Any, path: str) -> None:
    response = staff_client("anonymous").get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/anmelden/?next=")


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_user_without_role_gets_a_german_403_page(staff_client: Any, path: str) -> None:
    response = staff_client("no_role").get(path)
    assert response.status_code == 403
    assert "Zugriff verweigert" in response.content.decode()


@pytest.mark.parametrize("path", ["/intern/", "/intern/massnahmen/"])
def test_staff_pages_are_private_and_never_stored(staff_client: Any, path: str) -> None:
    response = staff_client("editor_of_lead_office").get(path)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_login_page_is_german_and_not_stored(client: Any) -> None:
    response = client.get("/anmelden/")
    assert response.status_code == 200
    assert "Anmelden" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_every_staff_page_has_exactly_one_h1(staff_client: Any, world: World) -> None:
    report = world.report(State.SUBMITTED)
    client = staff_client("coordination")
    pages = [
        *STAFF_PAGES,
        report_url(report),
        report_url(report, "verlauf/"),
        f"/intern/runden/{world.reporting_round.pk}/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert len(re.findall(r"<h1[ >]", response.content.decode())) == 1, path


def test_office_editor_sees_its_measures_with_the_missing_report(
    staff_client: Any, world: World
) -> None:
    page = staff_client("editor_of_lead_office").get("/intern/massnahmen/").content.decode()
    assert world.measure.number in page
    assert world.other_measure.number not in page  # led by SLR
    assert "fehlt" in page
    assert "Bericht beginnen" in page


def test_office_editor_starts_saves_and_submits_its_report(staff_client: Any, world: World) -> None:
    client = staff_client("editor_of_lead_office")
    response = client.post(
        "/intern/berichte/anlegen/",
        {
            "round": world.reporting_round.pk,
            "measure": world.measure.pk,
            "organisation": world.afs.pk,
        },
    )
    report = StatusReport.objects.get(measure=world.measure)
    assert response["Location"] == report_url(report)
    assert "Entwurf" in client.get(report_url(report)).content.decode()
    status = world.plan.status_options.get(key="in_progress")
    response = client.post(
        report_url(report), form_data(report, status=status.pk, progress=40, summary="Läuft")
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.summary, report.progress, report.version) == ("Läuft", 40, 2)
    response = client.post(report_url(report, "einreichen/"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == State.SUBMITTED


def test_saving_sets_the_progress_of_changed_steps(staff_client: Any, world: World) -> None:
    report = world.report(State.DRAFT)
    step = world.placement.steps.get()
    client = staff_client("editor_of_lead_office")
    client.post(report_url(report), form_data(report, **{f"step_{step.pk}": "done"}))
    assert report.step_progress.get(step=step).state == "done"


def test_invalid_values_are_shown_in_german_at_the_field(staff_client: Any, world: World) -> None:
    report = world.report(State.DRAFT)
    response = staff_client("editor_of_lead_office").post(
        report_url(report), form_data(report, progress=140)
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'aria-describedby="id_progress-hinweis id_progress-fehler"' in page
    assert "kleiner oder gleich 100" in page


def test_submitting_an_incomplete_report_names_what_is_missing(
    staff_client: Any, world: World
) -> None:
    report = world.report(State.DRAFT)
    StatusReport.objects.filter(pk=report.pk).update(progress=None)
    response = staff_client("editor_of_lead_office").post(report_url(report, "einreichen/"))
    assert response.status_code == 400
    assert "noch nicht vollständig" in response.content.decode()


def test_office_editor_cannot_see_a_draft_of_another_office(
    staff_client: Any, world: World
) -> None:
    report = world.report(State.DRAFT, measure=world.other_measure)
    client = staff_client("editor_of_lead_office")
    assert client.get(report_url(report)).status_code == 404
    assert client.post(report_url(report), form_data(report)).status_code == 404


def test_office_editor_cannot_change_a_submitted_report_of_another_office(
    staff_client: Any, world: World
) -> None:
    report = world.report(State.SUBMITTED, measure=world.other_measure)
    client = staff_client("editor_of_lead_office")
    page = client.get(report_url(report))
    assert page.status_code == 200
    assert 'name="summary"' not in page.content.decode()  # read only
    response = client.post(report_url(report), form_data(report, summary="Fremd"))
    assert response.status_code == 403
    assert StatusReport.objects.get(pk=report.pk).summary == "Erster Stand"


def test_returned_report_shows_the_coordinations_comment(staff_client: Any, world: World) -> None:
    report = world.report(State.RETURNED)
    page = staff_client("editor_of_lead_office").get(report_url(report)).content.decode()
    assert "Bitte ergänzen." in page
    assert "Von der Koordination zurückgegeben" in page


def test_status_select_offers_only_the_plans_statuses(staff_client: Any, world: World) -> None:
    report = world.report(State.DRAFT)
    page = staff_client("editor_of_lead_office").get(report_url(report)).content.decode()
    select = re.search(r'<select name="status".*?</select>', page, re.S).group(0)
    options = re.findall(r'<option value="(\d+)"', select)
    assert sorted(map(int, options)) == sorted(
        world.plan.status_options.values_list("pk", flat=True)
    )
    assert "eingereicht" not in select  # workflow states are never a user's choice


def test_coordination_returns_approves_and_publishes(staff_client: Any, world: World) -> None:
    client = staff_client("coordination")
    report = world.report(State.SUBMITTED)
    client.post(report_url(report, "zurueckgeben/"), {"comment": "Zahlen fehlen"})
    report.refresh_from_db()
    assert (report.state, report.return_comment) == (State.RETURNED, "Zahlen fehlen")
    other = world.report(State.SUBMITTED, measure=world.other_measure)
    client.post(report_url(other, "freigeben/"))
    client.post(report_url(other, "veroeffentlichen/"))
    assert StatusReport.objects.get(pk=other.pk).state == State.PUBLISHED


def test_returning_without_a_comment_is_refused(staff_client: Any, world: World) -> None:
    report = world.report(State.SUBMITTED)
    response = staff_client("coordination").post(report_url(report, "zurueckgeben/"), {})
    assert response.status_code == 400
    assert StatusReport.objects.get(pk=report.pk).state == State.SUBMITTED


def test_coordination_publishes_all_approved_reports_of_a_round(
    staff_client: Any, world: World
) -> None:
    first = world.report(State.APPROVED)
    second = world.report(State.APPROVED, measure=world.other_measure)
    response = staff_client("coordination").post(
        f"/intern/runden/{world.reporting_round.pk}/veroeffentlichen/"
    )
    assert response.status_code == 302
    states = set(
        StatusReport.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True)
    )
    assert states == {State.PUBLISHED}


def test_dashboard_counts_reports_per_office_and_field(staff_client: Any, world: World) -> None:
    world.report(State.SUBMITTED)
    response = staff_client("coordination").get(f"/intern/runden/{world.reporting_round.pk}/")
    dashboard = response.context["dashboard"]
    by_office = {row.label: row.counts for row in dashboard.by_office}
    assert by_office["AfS"]["submitted"] == 1
    assert by_office["SLR"]["missing"] == 1
    assert dashboard.totals.total == 2
    assert "Berichte je Amt" in response.content.decode()


def test_dashboard_lists_overdue_reports_after_the_deadline(
    staff_client: Any, world: World
) -> None:
    world.report(State.DRAFT)
    type(world.reporting_round).objects.filter(pk=world.reporting_round.pk).update(
        deadline="2020-01-01", reporting_date="2019-12-31"
    )
    response = staff_client("coordination").get(f"/intern/runden/{world.reporting_round.pk}/")
    overdue = [(i.measure.number, i.state) for i in response.context["dashboard"].overdue]
    assert overdue == [("1-1", "draft"), ("1-2", "missing")]


def test_office_editor_cannot_see_the_round_dashboard(staff_client: Any, world: World) -> None:
    response = staff_client("editor_of_lead_office").get(
        f"/intern/runden/{world.reporting_round.pk}/"
    )
    assert response.status_code == 403


def test_coordination_opens_a_round_from_the_form(staff_client: Any, world: World) -> None:
    response = staff_client("coordination").post(
        "/intern/runden/",
        {"name": "Monitoring 2027", "reporting_date": "2027-06-30", "deadline": "2027-09-30"},
    )
    created = world.plan.reporting_rounds.get(name="Monitoring 2027")
    assert response["Location"] == f"/intern/runden/{created.pk}/"


def test_opening_a_round_with_a_deadline_before_the_date_is_refused_in_german(
    staff_client: Any, world: World
) -> None:
    response = staff_client("coordination").post(
        "/intern/runden/",
        {"name": "Monitoring 2027", "reporting_date": "2027-06-30", "deadline": "2027-01-01"},
    )
    assert response.status_code == 400
    assert "Frist kann nicht vor dem Stichtag liegen" in response.content.decode()


# --- optimistic locking ------------------------------------------------------------------


def test_stale_save_gets_a_409_conflict_page_with_both_versions(
    staff_client: Any, world: World
) -> None:
    report = world.report(State.DRAFT)
    stale = form_data(report, summary="Meine Fassung")
    client = staff_client("editor_of_lead_office")
    client.post(report_url(report), form_data(report, summary="Fassung der Kollegin"))
    response = client.post(report_url(report), stale)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Fassung der Kollegin" in page and "Meine Fassung" in page
    assert "Konflikt" in page
    assert StatusReport.objects.get(pk=report.pk).summary == "Fassung der Kollegin"


# --- history -----------------------------------------------------------------------------


def test_history_shows_who_changed_what_and_restores_a_version(
    staff_client: Any, world: World
) -> None:
    report = world.report(State.DRAFT)
    client = staff_client("editor_of_lead_office")
    client.post(report_url(report), form_data(report, summary="Zweiter Stand"))
    page = client.get(report_url(report, "verlauf/")).content.decode()
    assert "Erster Stand" in page and "Zweiter Stand" in page
    assert "editor_of_lead_office" in page
    first_save = report.history.get(version=2)
    response = client.post(report_url(report, f"verlauf/{first_save.history_id}/wiederherstellen/"))
    assert response.status_code == 302
    assert StatusReport.objects.get(pk=report.pk).summary == "Erster Stand"


# --- reminders ---------------------------------------------------------------------------


def _editor_addresses(world: World) -> None:
    for persona in ("editor_of_lead_office", "editor_of_other_office"):
        user = world.user(persona)
        user.email = f"{persona}@example.org"
        user.save()


def test_reminder_button_emails_the_editors_of_offices_with_outstanding_reports(
    staff_client: Any, world: World
) -> None:
    _editor_addresses(world)
    world.report(State.SUBMITTED)  # AfS is done; SLR's report is missing
    response = staff_client("coordination").post(
        f"/intern/runden/{world.reporting_round.pk}/erinnern/"
    )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["editor_of_other_office@example.org"]]
    assert "Erinnerung" in mail.outbox[0].subject
    assert "1-2" in mail.outbox[0].body
    assert Event.objects.filter(kind=Event.Kind.REMINDERS_SENT).count() == 1


def test_kek_remind_sends_the_same_reminders(world: World, capsys: Any) -> None:
    _editor_addresses(world)
    call_command("remind", plan=world.plan.slug)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "editor_of_lead_office@example.org",
        "editor_of_other_office@example.org",
    ]
    assert "2 Erinnerung(en) versendet" in capsys.readouterr().out


# --- login -------------------------------------------------------------------------------


def test_login_with_the_right_password_leads_to_the_staff_area(client: Any, world: World) -> None:
    user = world.user("editor_of_lead_office")
    user.set_password("richtig-und-lang-genug")
    user.save()
    response = client.post(
        "/anmelden/", {"username": user.username, "password": "richtig-und-lang-genug"}
    )
    assert response["Location"] == "/intern/"


def test_login_is_locked_after_five_failed_attempts_with_a_german_message(
    client: Any, world: World
) -> None:
    user = world.user("editor_of_lead_office")
    user.set_password("richtig-und-lang-genug")
    user.save()
    for _attempt in range(4):
        response = client.post("/anmelden/", {"username": user.username, "password": "falsch"})
        assert response.status_code == 200
        assert "achten Sie auf Groß- und Kleinschreibung" in response.content.decode()
    response = client.post("/anmelden/", {"username": user.username, "password": "falsch"})
    assert response.status_code == 429
    assert "Anmeldung gesperrt" in response.content.decode()
    # Even the right password is refused during the lockout.
    response = client.post(
        "/anmelden/", {"username": user.username, "password": "richtig-und-lang-genug"}
    )
    assert response.status_code == 429


def test_logout_is_a_post(staff_client: Any) -> None:
    client = staff_client("reader")
    assert client.get("/abmelden/").status_code == 405
    assert client.post("/abmelden/")["Location"] == "/anmelden/"
    assert client.get("/intern/").status_code == 302


def test_a_malformed_id_is_a_404_not_a_server_error(staff_client: Any, world: World) -> None:
    response = staff_client("coordination").post(
        "/intern/berichte/anlegen/", {"round": "x", "measure": world.measure.pk}
    )
    assert response.status_code == 404


def test_history_shows_dates_in_german_format(staff_client: Any, world: World) -> None:
    report = world.report(State.SUBMITTED)
    page = staff_client("coordination").get(report_url(report, "verlauf/")).content.decode()
    submitted = StatusReport.objects.get(pk=report.pk).submitted_at
    assert submitted.isoformat()[:10] not in page
    assert "eingereicht am" in page
