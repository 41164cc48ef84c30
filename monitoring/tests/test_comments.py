"""Comments on measures: who may write and hide them, German errors, events, history, the page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring import comments, policies, services
from monitoring.models import Comment, Event, StatusReport
from monitoring.tests.factories import PERSONAS, World, participant

State = StatusReport.State


def measure_url(world: World, suffix: str = "") -> str:
    return f"/intern/massnahmen/{world.measure.number}/{suffix}"


def hide_url(comment: Comment) -> str:
    return f"/intern/kommentare/{comment.pk}/ausblenden/"


# --- the service ---------------------------------------------------------------------------


def test_participant_comments_on_a_measure_its_organisation_takes_part_in(world: World):
    author = world.user("participant")

    comment = comments.add_comment(author, world.measure, "Wir können Daten beisteuern.")

    assert comment.author == author
    assert comment.organisation == world.uwa
    assert comment.reporting_round == world.reporting_round
    assert comment.text == "Wir können Daten beisteuern."
    assert not comment.is_deleted


def test_a_comment_without_an_open_round_belongs_to_no_round(world: World):
    services.close_round(world.coordination, world.reporting_round)

    comment = comments.add_comment(world.coordination, world.measure, "Nach der Runde.")

    assert comment.reporting_round is None
    assert comment.organisation is None  # the coordination acts for no organisation here


def test_the_text_is_stored_as_typed_apart_from_line_endings_and_outer_blanks(world: World):
    typed = "  <b>Erstens</b> & zweitens\r\n\r\n<script>alert(1)</script>\n  "

    comment = comments.add_comment(world.coordination, world.measure, typed)

    assert comment.text == "<b>Erstens</b> & zweitens\n\n<script>alert(1)</script>"


@pytest.mark.parametrize("text", ["", "   ", "\r\n\n"])
def test_an_empty_comment_is_refused_in_german(world: World, text: str):
    with pytest.raises(services.InvalidData, match="Schreiben Sie einen Kommentar") as refused:
        comments.add_comment(world.coordination, world.measure, text)

    assert "text" in refused.value.errors
    assert not Comment.objects.exists()


def test_a_comment_of_exactly_the_limit_is_accepted(world: World):
    comment = comments.add_comment(world.coordination, world.measure, "x" * Comment.MAX_LENGTH)

    assert len(comment.text) == Comment.MAX_LENGTH


def test_a_too_long_comment_is_refused_in_german_with_both_lengths(world: World):
    with pytest.raises(services.InvalidData) as refused:
        comments.add_comment(world.coordination, world.measure, "x" * (Comment.MAX_LENGTH + 1))

    assert refused.value.message == (
        "Ein Kommentar darf höchstens 4000 Zeichen lang sein; dieser hat 4001."
    )
    assert not Comment.objects.exists()


def test_windows_line_endings_do_not_count_twice_against_the_limit(world: World):
    text = "x\r\n" * (Comment.MAX_LENGTH // 2)

    comment = comments.add_comment(world.coordination, world.measure, text)

    assert len(comment.text) == Comment.MAX_LENGTH - 1  # the last line break is stripped


def test_a_nul_character_is_refused_instead_of_failing_in_the_database(world: World):
    with pytest.raises(services.InvalidData, match="nicht gespeichert werden"):
        comments.add_comment(world.coordination, world.measure, "a\x00b")


def test_office_editor_cannot_comment_on_a_measure_its_office_neither_leads_nor_joins(
    world: World,
):
    with pytest.raises(services.NotAllowed, match="Maßnahme 1-1 nicht kommentieren"):
        comments.add_comment(world.user("editor_of_other_office"), world.measure, "Hallo")


def test_office_editor_comments_on_a_measure_its_office_takes_part_in(world: World):
    participant(world.other_measure.placements.get(), world.afs)

    comment = comments.add_comment(
        world.user("editor_of_lead_office"), world.other_measure, "Wir helfen mit."
    )

    assert comment.organisation == world.afs


def test_refusal_is_checked_before_the_text(world: World):
    with pytest.raises(services.NotAllowed):
        comments.add_comment(world.user("reader"), world.measure, "")


def test_writing_a_comment_logs_one_internal_event_naming_the_measure(world: World):
    author = world.user("participant")
    before = Event.objects.count()

    comment = comments.add_comment(author, world.measure, "Hinweis")

    assert Event.objects.count() == before + 1
    event = Event.objects.get(kind=Event.Kind.COMMENT_ADDED)
    assert event.user == author
    assert event.measure == world.measure
    assert event.reporting_round == world.reporting_round
    assert event.data["comment"] == comment.pk
    assert not event.is_public
    assert event.sentence() == "Zu 1-1 wurde ein Kommentar geschrieben."


def test_the_author_hides_their_comment_softly(world: World):
    author = world.user("participant")
    comment = comments.add_comment(author, world.measure, "Versehentlich")

    comments.delete_comment(author, comment)

    comment.refresh_from_db()
    assert comment.is_deleted
    assert comment.deleted_by == author
    assert comment.deleted_at is not None
    assert Comment.objects.filter(pk=comment.pk).exists()  # still in the database
    assert not policies.comments_visible_to(world.coordination, world.plan).exists()
    event = Event.objects.get(kind=Event.Kind.COMMENT_DELETED)
    assert event.user == author
    assert event.sentence() == "Ein Kommentar zu 1-1 wurde ausgeblendet."


def test_the_coordination_hides_anyones_comment(world: World):
    comment = comments.add_comment(world.user("participant"), world.measure, "Off-Topic")

    hidden = comments.delete_comment(world.coordination, comment)

    assert hidden.is_deleted
    assert hidden.deleted_by == world.coordination


def test_an_office_editor_cannot_hide_someone_elses_comment(world: World):
    comment = comments.add_comment(world.user("participant"), world.measure, "Bleibt")

    with pytest.raises(services.NotAllowed, match="Nur die Koordination"):
        comments.delete_comment(world.user("editor_of_lead_office"), comment)

    comment.refresh_from_db()
    assert not comment.is_deleted


def test_hiding_a_hidden_comment_again_is_refused(world: World):
    comment = comments.add_comment(world.coordination, world.measure, "Einmal")
    comments.delete_comment(world.coordination, comment)

    with pytest.raises(services.InvalidTransition, match="bereits ausgeblendet"):
        comments.delete_comment(world.coordination, comment)

    assert Event.objects.filter(kind=Event.Kind.COMMENT_DELETED).count() == 1


def test_history_records_who_wrote_and_who_hid_a_comment(world: World):
    author = world.user("participant")
    comment = comments.add_comment(author, world.measure, "Mit Verlauf")
    comments.delete_comment(world.coordination, comment)

    records = list(comment.history.order_by("history_date", "history_id"))

    assert [(r.history_type, r.history_user, r.is_deleted) for r in records] == [
        ("+", author, False),
        ("~", world.coordination, True),
    ]


# --- the policies --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_internal_role_reads_the_comments_and_the_public_none(world: World, persona: str):
    comments.add_comment(world.coordination, world.measure, "Intern")

    visible = policies.comments_visible_to(world.user(persona), world.plan).count()

    assert visible == (0 if persona in ("anonymous", "no_role") else 1)


def test_the_author_loses_the_right_to_hide_with_their_role(world: World):
    author = world.user("participant")
    comment = comments.add_comment(author, world.measure, "Später ohne Rolle")
    author.memberships.all().delete()
    author.__dict__.pop("_kek_memberships", None)

    assert not policies.can_delete_comment(author, comment)
    assert policies.can_delete_comment(world.coordination, comment)


# --- the page ------------------------------------------------------------------------------


def test_the_measure_page_shows_leads_participants_reports_and_comments(
    staff_client: Any, world: World
):
    world.report(State.SUBMITTED)
    comments.add_comment(world.user("participant"), world.measure, "Erster\n\nZweiter Absatz")

    response = staff_client("reader").get(measure_url(world))

    page = response.content.decode()
    assert response.status_code == 200
    assert len(re.findall(r"<h1[ >]", page)) == 1
    assert "Maßnahme 1-1" in page
    assert world.measure.title in page
    assert 'href="/massnahmen/1-1/"' in page
    assert "AfS" in page and "UWA" in page
    assert "eingereicht" in page
    assert "<p>Erster</p>\n\n<p>Zweiter Absatz</p>" in page
    assert "<strong>participant</strong> (UWA)" in page
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_the_page_lists_comments_newest_first(staff_client: Any, world: World):
    comments.add_comment(world.coordination, world.measure, "Älterer Kommentar")
    comments.add_comment(world.coordination, world.measure, "Neuerer Kommentar")

    page = staff_client("reader").get(measure_url(world)).content.decode()

    assert page.index("Neuerer Kommentar") < page.index("Älterer Kommentar")


def test_the_page_shows_only_the_reports_the_user_may_read(staff_client: Any, world: World):
    report = world.report(State.DRAFT)

    editor_page = staff_client("editor_of_lead_office").get(measure_url(world)).content.decode()
    reader_page = staff_client("reader").get(measure_url(world)).content.decode()

    assert f"/intern/berichte/{report.pk}/" in editor_page
    assert f"/intern/berichte/{report.pk}/" not in reader_page


def test_html_in_a_comment_is_shown_as_text(staff_client: Any, world: World):
    comments.add_comment(world.coordination, world.measure, "<script>alert(1)</script>")

    page = staff_client("reader").get(measure_url(world)).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    ("persona", "has_form"),
    [
        ("coordination", True),
        ("editor_of_lead_office", True),
        ("editor_of_other_office", False),
        ("participant", True),
        ("reader", False),
    ],
)
def test_the_comment_form_is_offered_only_to_those_who_may_comment(
    staff_client: Any, world: World, persona: str, has_form: bool
):
    page = staff_client(persona).get(measure_url(world)).content.decode()

    assert (f'action="{measure_url(world, "kommentare/")}"' in page) is has_form
    assert ('<label class="kern-label" for="id_text">Ihr Kommentar</label>' in page) is has_form


@pytest.mark.parametrize(
    ("persona", "has_button"),
    [
        ("coordination", True),
        ("editor_of_lead_office", False),
        ("participant", True),
        ("reader", False),
    ],
)
def test_the_hide_button_is_offered_to_the_coordination_and_the_author(
    staff_client: Any, world: World, persona: str, has_button: bool
):
    comment = comments.add_comment(world.user("participant"), world.measure, "Von UWA")

    page = staff_client(persona).get(measure_url(world)).content.decode()

    assert (hide_url(comment) in page) is has_button
    assert ("Kommentar ausblenden" in page) is has_button


def test_posting_a_comment_redirects_to_the_comments_with_a_message(
    staff_client: Any, world: World
):
    client = staff_client("participant")

    response = client.post(measure_url(world, "kommentare/"), {"text": "Aus dem Browser"})

    assert response.status_code == 302
    assert response["Location"] == measure_url(world) + "#kommentare"
    page = client.get(response["Location"]).content.decode()
    assert "Ihr Kommentar wurde gespeichert." in page
    assert "Aus dem Browser" in page


def test_posting_an_empty_comment_shows_the_german_error_at_the_field(
    staff_client: Any, world: World
):
    response = staff_client("participant").post(measure_url(world, "kommentare/"), {"text": " "})

    page = response.content.decode()
    assert response.status_code == 400
    assert 'aria-invalid="true"' in page
    assert '<p class="kern-error" id="id_text-fehler">Schreiben Sie einen Kommentar.</p>' in page
    assert not Comment.objects.exists()


def test_a_too_long_comment_is_shown_again_with_the_error(staff_client: Any, world: World):
    text = "y" * (Comment.MAX_LENGTH + 5)

    response = staff_client("participant").post(measure_url(world, "kommentare/"), {"text": text})

    page = response.content.decode()
    assert response.status_code == 400
    assert "höchstens 4000 Zeichen" in page
    assert f">{text}</textarea>" in page


def test_hiding_a_comment_from_the_page_removes_it_from_the_list(staff_client: Any, world: World):
    comment = comments.add_comment(world.user("participant"), world.measure, "Weg damit")
    client = staff_client("participant")

    response = client.post(hide_url(comment))

    assert response.status_code == 302
    assert response["Location"] == measure_url(world) + "#kommentare"
    page = client.get(measure_url(world)).content.decode()
    assert "Der Kommentar wurde ausgeblendet." in page
    assert "Weg damit" not in page


def test_a_hidden_comment_cannot_be_hidden_again_it_no_longer_exists(
    staff_client: Any, world: World
):
    comment = comments.add_comment(world.coordination, world.measure, "Schon weg")
    comments.delete_comment(world.coordination, comment)

    assert staff_client("coordination").post(hide_url(comment)).status_code == 404


def test_an_unknown_measure_is_a_404(staff_client: Any, world: World):
    assert staff_client("reader").get("/intern/massnahmen/9-99/").status_code == 404


def test_the_measure_page_is_not_for_the_public(staff_client: Any, world: World):
    anonymous = staff_client("anonymous").get(measure_url(world))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/anmelden/")
    assert staff_client("no_role").get(measure_url(world)).status_code == 403


def test_the_report_form_links_to_the_measure_page(staff_client: Any, world: World):
    report = world.report(State.DRAFT)

    page = staff_client("editor_of_lead_office").get(f"/intern/berichte/{report.pk}/")

    assert f'href="{measure_url(world)}"' in page.content.decode()


def test_the_measure_page_needs_the_same_queries_for_one_comment_or_many(
    staff_client: Any, world: World
):
    world.report(State.SUBMITTED)
    comments.add_comment(world.coordination, world.measure, "Eins")
    client = staff_client("participant")
    client.get(measure_url(world))  # warm the session

    with CaptureQueriesContext(connection) as one:
        client.get(measure_url(world))
    for author in ("participant", "editor_of_lead_office"):
        comments.add_comment(world.user(author), world.measure, f"Von {author}")
    with CaptureQueriesContext(connection) as three:
        client.get(measure_url(world))

    assert len(three.captured_queries) == len(one.captured_queries)
