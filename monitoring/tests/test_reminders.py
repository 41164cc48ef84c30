"""Reminders: nothing is sent twice to an office within the quiet period."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from monitoring import services
from monitoring.models import Event
from monitoring.tests.factories import PERSONAS, World


@pytest.fixture
def addressed(world: World) -> World:
    """The world with e-mail addresses for both office editors."""
    for persona in ("editor_of_lead_office", "editor_of_other_office"):
        user = world.user(persona)
        user.email = f"{persona}@example.org"
        user.save()
    return world


def _age_reminder_events(hours: int) -> None:
    """Pretend the reminders so far were sent `hours` ago (events are append-only: raw SQL)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Event._meta.db_table} SET created_at = %s WHERE kind = %s",
            [
                datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=hours),
                Event.Kind.REMINDERS_SENT,
            ],
        )


def test_the_reminder_links_to_what_is_still_owed_in_the_round(addressed: World) -> None:
    services.send_reminders(addressed.coordination, addressed.reporting_round, addressed.slr)
    link = f"/intern/massnahmen/?runde={addressed.reporting_round.pk}&stand=outstanding"
    assert link in mail.outbox[0].body


def test_a_second_send_within_the_quiet_period_sends_nothing(addressed: World) -> None:
    assert services.send_reminders(addressed.coordination, addressed.reporting_round) == 2
    assert services.send_reminders(addressed.coordination, addressed.reporting_round) == 0
    assert len(mail.outbox) == 2
    second = Event.objects.filter(kind=Event.Kind.REMINDERS_SENT).latest("pk")
    assert second.data["skipped"] == "AfS, SLR"
    assert second.data["organisation_ids"] == []


def test_offices_are_reminded_again_after_the_quiet_period(addressed: World, settings: Any) -> None:
    settings.KEK_REMINDER_QUIET_HOURS = 20
    services.send_reminders(addressed.coordination, addressed.reporting_round)
    _age_reminder_events(hours=21)
    assert services.send_reminders(addressed.coordination, addressed.reporting_round) == 2
    assert len(mail.outbox) == 4


def test_only_the_offices_not_yet_reminded_get_a_reminder(addressed: World) -> None:
    services.send_reminders(addressed.coordination, addressed.reporting_round, addressed.afs)
    assert services.send_reminders(addressed.coordination, addressed.reporting_round) == 1
    assert [m.to for m in mail.outbox] == [
        ["editor_of_lead_office@example.org"],
        ["editor_of_other_office@example.org"],
    ]


def test_naming_an_office_reminded_recently_is_refused_in_german(addressed: World) -> None:
    services.send_reminders(addressed.coordination, addressed.reporting_round, addressed.afs)
    with pytest.raises(services.InvalidTransition) as refused:
        services.send_reminders(addressed.coordination, addressed.reporting_round, addressed.afs)
    assert "AfS wurde bereits am" in refused.value.message
    assert "20 Stunden" in refused.value.message
    assert len(mail.outbox) == 1


def test_reminders_of_another_round_do_not_count(addressed: World) -> None:
    services.send_reminders(addressed.coordination, addressed.reporting_round)
    other_round = services.open_round(
        addressed.coordination,
        addressed.plan,
        "Monitoring 2027",
        datetime.date(2027, 6, 30),
        datetime.date(2027, 9, 30),
    )
    assert services.send_reminders(addressed.coordination, other_round) == 2


def test_an_hourly_kek_remind_reminds_each_office_once(addressed: World, capsys: Any) -> None:
    call_command("remind", plan=addressed.plan.slug)
    call_command("remind", plan=addressed.plan.slug)
    assert len(mail.outbox) == 2
    out = capsys.readouterr().out
    assert "2 Erinnerung(en) versendet" in out
    assert "0 Erinnerung(en) versendet" in out


def test_the_reminder_button_twice_shows_the_refusal_for_a_named_office(
    staff_client: Any, addressed: World
) -> None:
    client = staff_client("coordination")
    url = f"/intern/runden/{addressed.reporting_round.pk}/erinnern/"
    client.post(url, {"organisation": addressed.afs.pk})
    response = client.post(url, {"organisation": addressed.afs.pk})
    assert response.status_code in (400, 409)
    assert "bereits am" in response.content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_kek_remind_acts_only_for_the_coordination(addressed: World, persona: str) -> None:
    """The command's part of the permission matrix: `--as` anyone but the coordination fails."""
    username = addressed.user(persona).username
    if persona == "coordination":
        call_command("remind", plan=addressed.plan.slug, username=username)
        assert len(mail.outbox) == 2
    else:
        with pytest.raises(CommandError, match="Nur die Koordination"):
            call_command("remind", plan=addressed.plan.slug, username=username)
        assert mail.outbox == []
        assert not Event.objects.filter(kind=Event.Kind.REMINDERS_SENT).exists()


def test_an_office_without_an_address_is_not_counted_as_reminded(world: World) -> None:
    """SLR's editor has no e-mail address: nothing is sent, and SLR stays remindable."""
    sent = services.send_reminders(world.coordination, world.reporting_round)
    assert sent == 0
    event = Event.objects.get(kind=Event.Kind.REMINDERS_SENT)
    assert event.data["organisation_ids"] == []
    assert event.data["unreachable"] == "AfS, SLR"
    assert event.data["organisations"] == "–"
    editor = world.user("editor_of_other_office")
    editor.email = "slr@example.org"
    editor.save()
    assert services.send_reminders(world.coordination, world.reporting_round, world.slr) == 1


def _page(response: Any) -> str:
    return response.content.decode()


def test_reminders_that_reach_nobody_explain_why(staff_client: Any, world: World) -> None:
    response = staff_client("coordination").post(
        f"/intern/runden/{world.reporting_round.pk}/erinnern/", follow=True
    )
    page = _page(response)
    assert mail.outbox == []
    assert "0 Erinnerungen wurden versendet" not in page
    assert "kern-alert--warning" in page
    assert "Es wurde keine Erinnerung versendet." in page
    assert ": keine aktive Redaktion mit E-Mail-Adresse" in page
    assert "bereits erinnert" not in page


def test_reminders_that_reach_someone_are_counted(staff_client: Any, world: World) -> None:
    editor = world.user("editor_of_lead_office")
    editor.email = "afs@example.org"
    editor.save()
    response = staff_client("coordination").post(
        f"/intern/runden/{world.reporting_round.pk}/erinnern/", follow=True
    )
    assert "1 Erinnerung wurde versendet" in _page(response)
