"""What users met in the staff area (issue 10): no typed text is lost, rounds close with a
confirmation and reopen with a reason, bounded texts, one version per submission, no demo
pre-fill, workflow e-mails, quiet refusals and the right reasons."""

from __future__ import annotations

import datetime
import logging
import os
import re
import subprocess
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from monitoring import demo, services
from monitoring.models import Event, ReportingRound, StatusOption, StatusReport
from monitoring.tests.factories import World
from monitoring.tests.test_views import form_data, report_url

State = StatusReport.State


def _page(response: Any) -> str:
    return unescape(response.content.decode())


def _status(world: World, key: str = "in_progress") -> StatusOption:
    return StatusOption.objects.get(plan=world.plan, key=key)


# --- 1. a closed round is read-only and never swallows what was typed ----------------------


def test_an_office_sees_its_report_read_only_in_a_closed_round(
    staff_client: Any, world: World
) -> None:
    report = world.report(State.DRAFT)
    services.close_round(world.coordination, world.reporting_round)

    page = _page(staff_client("editor_of_lead_office").get(report_url(report)))

    assert "Die Berichtsrunde „Monitoring 2026“ ist abgeschlossen" in page
    assert "<textarea" not in page
    assert "Speichern und einreichen" not in page
    assert "Diesen Bericht löschen" not in page


def test_a_report_saved_after_its_round_closed_comes_back_with_the_typed_text(
    staff_client: Any, world: World
) -> None:
    report = world.report(State.DRAFT)
    services.close_round(world.coordination, world.reporting_round)
    typed = "Der Radweg ist zur Hälfte gebaut; die Brücke folgt 2027."

    response = staff_client("editor_of_lead_office").post(
        report_url(report), form_data(report, summary=typed)
    )

    page = _page(response)
    assert response.status_code == 409
    assert "ist abgeschlossen" in page
    assert "Ihre Eingaben wurden nicht gespeichert" in page
    assert typed in page
    assert StatusReport.objects.get(pk=report.pk).summary == "Erster Stand"


def test_a_report_submitted_after_its_round_closed_comes_back_with_the_typed_text(
    staff_client: Any, world: World
) -> None:
    report = world.report(State.DRAFT)
    services.close_round(world.coordination, world.reporting_round)
    typed = "Planung abgeschlossen, Bau beginnt im Herbst."

    response = staff_client("editor_of_lead_office").post(
        report_url(report, "einreichen/"),
        form_data(report, summary=typed, status=_status(world).pk),
    )

    assert response.status_code == 409
    assert typed in _page(response)
    assert StatusReport.objects.get(pk=report.pk).state == State.DRAFT


def test_an_office_cannot_delete_a_draft_in_a_closed_round(world: World) -> None:
    report = world.report(State.DRAFT)
    services.close_round(world.coordination, world.reporting_round)

    with pytest.raises(services.InvalidTransition, match="abgeschlossen"):
        services.soft_delete_report(world.user("editor_of_lead_office"), report)


# --- 2. an expired session keeps the typed report across the login -------------------------


def test_a_report_posted_after_the_session_expired_is_filled_in_again_after_the_login(
    client: Any, world: World, settings: Any
) -> None:
    settings.KEK_PLAN_SLUG = world.plan.slug
    report = world.report(State.DRAFT)
    editor = world.user("editor_of_lead_office")
    editor.set_password("ein-langes-Test-Passwort-2026")
    editor.save()
    typed = "Text, der während der abgelaufenen Sitzung geschrieben wurde."

    response = client.post(report_url(report), form_data(report, summary=typed))
    assert response.status_code == 302
    assert response["Location"] == f"/anmelden/?next={report_url(report)}"

    login_page = _page(client.get(response["Location"]))
    assert "Ihre Sitzung ist abgelaufen" in login_page
    assert "Ihre letzten Eingaben sind aufbewahrt" in login_page

    signed_in = client.post(
        "/anmelden/",
        {
            "username": editor.username,
            "password": "ein-langes-Test-Passwort-2026",
            "next": report_url(report),
        },
    )
    assert signed_in["Location"] == report_url(report)

    form_page = _page(client.get(report_url(report)))
    assert typed in form_page
    assert "noch nicht gespeichert" in form_page
    assert StatusReport.objects.get(pk=report.pk).summary == "Erster Stand"
    # Restored once: the next visit shows the stored report.
    assert typed not in _page(client.get(report_url(report)))


def test_the_login_page_says_nothing_about_a_session_on_a_first_visit(client: Any) -> None:
    assert "Sitzung ist abgelaufen" not in _page(client.get("/anmelden/"))


# --- 3. closing asks first; the coordination reopens with a logged reason -------------------


def test_closing_a_round_asks_first_and_changes_nothing(staff_client: Any, world: World) -> None:
    client = staff_client("coordination")
    url = f"/intern/runden/{world.reporting_round.pk}/schliessen/"

    dashboard = _page(client.get(f"/intern/runden/{world.reporting_round.pk}/"))
    page = _page(client.get(url))

    assert f'href="{url}"' in dashboard
    assert "Runde „Monitoring 2026“ abschließen?" in page
    assert f'action="{url}"' in page
    assert ReportingRound.objects.get(pk=world.reporting_round.pk).is_open


def test_the_coordination_reopens_a_closed_round_with_a_logged_reason(world: World) -> None:
    reporting_round = world.reporting_round
    services.close_round(world.coordination, reporting_round)

    services.reopen_round(world.coordination, reporting_round, "  AfS reicht 1-1 nach.  ")

    reporting_round.refresh_from_db()
    assert reporting_round.is_open
    assert (reporting_round.reopened_by, reporting_round.reopen_reason) == (
        world.coordination,
        "AfS reicht 1-1 nach.",
    )
    event = Event.objects.get(kind=Event.Kind.ROUND_REOPENED)
    assert event.sentence() == (
        "Die Berichtsrunde „Monitoring 2026“ wurde wieder geöffnet: AfS reicht 1-1 nach."
    )
    services.start_report(
        world.user("editor_of_other_office"), reporting_round, world.other_measure
    )


def test_reopening_a_round_needs_a_reason(staff_client: Any, world: World) -> None:
    services.close_round(world.coordination, world.reporting_round)

    with pytest.raises(services.InvalidData):
        services.reopen_round(world.coordination, world.reporting_round, "   ")
    response = staff_client("coordination").post(
        f"/intern/runden/{world.reporting_round.pk}/wieder-oeffnen/", {"reason": ""}
    )

    assert response.status_code == 400
    assert "Dieses Feld ist erforderlich." in _page(response)
    assert not ReportingRound.objects.get(pk=world.reporting_round.pk).is_open


def test_a_round_closed_again_after_reopening_shows_it_was_amended(
    staff_client: Any, world: World
) -> None:
    reporting_round = world.reporting_round
    services.close_round(world.coordination, reporting_round)
    services.reopen_round(world.coordination, reporting_round, "Korrektur von AfS")
    services.close_round(world.coordination, reporting_round)

    client = staff_client("coordination")
    dashboard = _page(client.get(f"/intern/runden/{reporting_round.pk}/"))
    rounds = _page(client.get("/intern/runden/"))

    assert "Nach dem Abschluss geändert" in dashboard
    assert "von coordination wieder geöffnet. Grund: Korrektur von AfS" in dashboard
    reporting_round.refresh_from_db()
    assert reporting_round.amended_at == reporting_round.closed_at
    assert reporting_round.closed_at and reporting_round.reopened_at
    assert reporting_round.closed_at > reporting_round.reopened_at
    amended = timezone.localtime(reporting_round.closed_at).strftime("%d.%m.%Y")
    assert f"(nach dem Abschluss geändert am {amended})" in rounds
    assert f"Nach dem Abschluss geändert am {amended}" in dashboard


# --- 4. bounded texts, German messages at the field, a German 400 page ---------------------


def test_a_too_long_summary_is_refused_at_its_field_and_comes_back_in_full(
    staff_client: Any, world: World
) -> None:
    report = world.report(State.DRAFT)
    typed = "x" * 4001

    response = staff_client("editor_of_lead_office").post(
        report_url(report), form_data(report, summary=typed)
    )

    page = _page(response)
    assert response.status_code == 400
    assert "höchstens 4000 Zeichen" in page
    assert typed in page  # nothing lost
    # No maxlength: a browser would cut a pasted text silently instead.
    assert re.search(r'<textarea name="summary"[^>]*maxlength', page) is None
    assert StatusReport.objects.get(pk=report.pk).summary == "Erster Stand"


def test_the_services_refuse_texts_over_their_limits(world: World) -> None:
    report = world.report(State.DRAFT)

    with pytest.raises(services.InvalidData) as refused:
        services.save_report(
            world.coordination,
            report,
            {"summary": "x" * 4001, "obstacles": "y" * 2001, "funding_programme": "z" * 301},
            report.version,
        )

    assert set(refused.value.errors) == {"summary", "obstacles", "funding_programme"}


def test_a_request_far_too_large_gets_a_german_400_page(staff_client: Any, world: World) -> None:
    report = world.report(State.DRAFT)
    huge = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = staff_client("editor_of_lead_office").post(
        report_url(report), form_data(report, summary=huge)
    )

    page = _page(response)
    assert response.status_code == 400
    assert "Anfrage nicht verarbeitet" in page
    assert "Bad Request" not in page


# --- 5. a refused submission saves nothing -------------------------------------------------


def test_an_empty_save_and_submit_saves_nothing(staff_client: Any, world: World) -> None:
    report = world.report(State.DRAFT)
    before = StatusReport.objects.get(pk=report.pk)

    response = staff_client("editor_of_lead_office").post(
        report_url(report, "einreichen/"), form_data(report, status="", progress="", summary="")
    )

    after = StatusReport.objects.get(pk=report.pk)
    assert response.status_code == 400
    assert "Der Bericht ist noch nicht vollständig" in _page(response)
    assert (after.version, after.summary, after.progress, after.state) == (
        before.version,
        "Erster Stand",
        before.progress,
        State.DRAFT,
    )


# --- 6. save and submit is one version; a repeated submit is a friendly no-op -------------


def test_save_and_submit_makes_one_version(staff_client: Any, world: World) -> None:
    report = world.report(State.DRAFT)
    history = report.history.count()

    staff_client("editor_of_lead_office").post(
        report_url(report, "einreichen/"),
        form_data(report, status=_status(world).pk, summary="Neu"),
    )

    stored = StatusReport.objects.get(pk=report.pk)
    assert (stored.state, stored.summary, stored.version) == (
        State.SUBMITTED,
        "Neu",
        report.version + 1,
    )
    assert stored.history.count() == history + 1


def test_the_same_submission_twice_answers_with_a_notice_not_a_conflict(
    staff_client: Any, world: World
) -> None:
    report = world.report(State.DRAFT)
    client = staff_client("editor_of_lead_office")
    data = form_data(report, status=_status(world).pk, summary="Neu")

    first = client.post(report_url(report, "einreichen/"), data)
    second = client.post(report_url(report, "einreichen/"), data, follow=True)

    assert first.status_code == 302
    assert second.status_code == 200
    assert "Der Bericht war bereits eingereicht; es wurde nichts geändert." in _page(second)
    assert StatusReport.objects.get(pk=report.pk).version == report.version + 1


def test_a_concurrent_second_submit_of_the_same_form_changes_nothing(world: World) -> None:
    report = world.report(State.DRAFT)
    stale = StatusReport.objects.get(pk=report.pk)  # read before the first submit
    values = {"status": _status(world), "summary": "Neu"}
    services.submit_report(world.coordination, report, values, report.version)

    again = services.submit_report(world.coordination, stale, values, stale.version)

    assert (again.state, again.version) == (State.SUBMITTED, report.version)


def test_a_changed_form_submitted_again_comes_back_with_its_text(
    staff_client: Any, world: World
) -> None:
    report = world.report(State.DRAFT)
    client = staff_client("editor_of_lead_office")
    client.post(
        report_url(report, "einreichen/"),
        form_data(report, status=_status(world).pk, summary="Neu"),
    )

    response = client.post(
        report_url(report, "einreichen/"),
        form_data(report, status=_status(world).pk, summary="Nachträglich ergänzt"),
    )

    page = _page(response)
    assert response.status_code == 409
    assert "Der Bericht wurde bereits eingereicht" in page
    assert "Nachträglich ergänzt" in page
    assert StatusReport.objects.get(pk=report.pk).summary == "Neu"


# --- 7. pre-fill never comes from a demo round ---------------------------------------------


def test_a_real_round_is_never_prefilled_from_a_demo_round(world: World) -> None:
    demo_report = world.report(State.PUBLISHED)
    ReportingRound.objects.filter(pk=world.reporting_round.pk).update(is_demo=True)
    StatusReport.objects.filter(pk=demo_report.pk).update(summary="[Demo] Beispiel")
    real = services.open_round(
        world.coordination,
        world.plan,
        "Monitoring 2027",
        datetime.date(2027, 6, 30),
        datetime.date(2027, 9, 30),
    )

    report = services.start_report(world.coordination, real, world.measure, world.afs)

    assert report.summary == ""


def test_the_demo_round_is_marked_as_demo(kek_plan: Any) -> None:
    demo.ensure_demo_members(kek_plan)
    reporting_round, _created = demo.ensure_demo_round(kek_plan)

    assert reporting_round.is_demo


# --- 8. e-mails when a report is submitted or returned -------------------------------------


def _addresses(world: World) -> None:
    for persona, address in (
        ("coordination", "slr@example.org"),
        ("editor_of_lead_office", "afs@example.org"),
        ("editor_of_other_office", "slr-redaktion@example.org"),
    ):
        user = world.user(persona)
        user.email = address
        user.save()


def test_a_submission_mails_the_coordination_with_a_link(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _addresses(world)
    report = world.report(State.DRAFT)
    report.status = _status(world)
    report.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.submit_report(world.user("editor_of_lead_office"), report)

    assert [message.to for message in mail.outbox] == [["slr@example.org"]]
    assert mail.outbox[0].subject == "KEK-Monitor: AfS hat den Bericht zu 1-1 eingereicht"
    assert f"{settings.KEK_BASE_URL}/intern/berichte/{report.pk}/" in mail.outbox[0].body
    event = Event.objects.get(kind=Event.Kind.SUBMISSION_MAILED)
    assert event.sentence().startswith("Die Koordination wurde per E-Mail benachrichtigt")


def test_a_return_mails_the_office_editors_with_the_comment_and_a_link(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _addresses(world)
    report = world.report(State.SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True):
        services.return_report(world.coordination, report, "Bitte Kosten ergänzen.")

    assert [message.to for message in mail.outbox] == [["afs@example.org"]]
    body = mail.outbox[0].body
    assert "hat den Bericht von AfS zur Maßnahme 1-1" in body
    assert "Bitte Kosten ergänzen." in body
    assert f"/intern/berichte/{report.pk}/" in body
    assert Event.objects.filter(kind=Event.Kind.RETURN_MAILED, report=report).exists()


def test_a_report_mail_is_not_repeated_within_the_quiet_period(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _addresses(world)
    report = world.report(State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_report(world.coordination, report, "Erstens")
        services.submit_report(world.coordination, report)
        services.return_report(world.coordination, report, "Zweitens")

    returned = [m for m in mail.outbox if "zurückgegeben" in m.subject]
    assert len(returned) == 1


# --- 9. a refused back-office login is routine, not an error --------------------------------


def test_a_signed_in_user_without_the_right_is_refused_the_back_office_quietly(
    staff_client: Any, caplog: Any
) -> None:
    client = staff_client("editor_of_lead_office")

    with caplog.at_level(logging.DEBUG):
        response = client.get("/admin/", follow=True)

    assert response.status_code == 403
    assert [r for r in caplog.records if r.levelno > logging.INFO] == []


# --- 10. reminders held back by the quiet period say so -----------------------------------


def test_reminders_held_back_by_the_quiet_period_say_so(staff_client: Any, world: World) -> None:
    _addresses(world)
    client = staff_client("coordination")
    url = f"/intern/runden/{world.reporting_round.pk}/erinnern/"
    client.post(url)
    mail.outbox.clear()

    page = _page(client.post(url, follow=True))

    assert mail.outbox == []
    assert "bereits erinnert" in page
    assert "E-Mail-Adresse" not in page


# --- 11. make run prints the address it binds ----------------------------------------------


def test_make_run_prints_links_to_the_bound_address(tmp_path: Path) -> None:
    fake_kek = tmp_path / "kek"
    fake_kek.write_text('#!/bin/sh\necho "$1 $KEK_BASE_URL"\n')
    fake_kek.chmod(0o755)
    environment = {k: v for k, v in os.environ.items() if k != "KEK_BASE_URL"}

    # -o setup: the recipes of `run` only, with a stand-in for kek (no setup, no server).
    output = subprocess.run(
        ["make", "-s", "-o", "setup", "run", "BIND=0.0.0.0:8123", f"KEK={fake_kek}"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert output.splitlines() == [
        "demo-accounts http://0.0.0.0:8123",
        "demo-monitoring http://0.0.0.0:8123",
        "serve http://0.0.0.0:8123",
    ]
