"""Defects a reviewer found walking through the staff area, each pinned by a test."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring import report_values, services
from monitoring.forms import ReportForm, step_targets
from monitoring.models import StatusReport, StepProgress
from monitoring.tests.factories import World, lead, participant
from monitoring.tests.test_worklists import add_other_leads
from plans.models import Measure, Step
from plans.tests.factories import MeasureFactory, PlacementFactory, StepFactory

State = StatusReport.State


def _page(response: Any) -> str:
    return response.content.decode()


# --- 1. the start page leads Beteiligte and Leser to the measures --------------------------


def test_participant_finds_the_measures_its_organisation_takes_part_in_on_the_start_page(
    staff_client: Any, world: World
) -> None:
    page = _page(staff_client("participant").get("/intern/"))
    assert "Maßnahmen mit Beteiligung von UWA" in page
    assert 'href="/intern/massnahmen/1-1/"' in page
    assert 'href="/intern/massnahmen/1-2/"' not in page  # UWA takes no part in 1-2


def test_participation_counts_in_building_blocks_too(staff_client: Any, world: World) -> None:
    block = PlacementFactory(
        measure=world.other_measure, parent=PlacementFactory(measure=world.other_measure)
    )
    participant(block, world.uwa)
    page = _page(staff_client("participant").get("/intern/"))
    assert 'href="/intern/massnahmen/1-2/"' in page


def test_every_role_gets_the_form_to_open_a_measure_by_its_number(
    staff_client: Any, world: World
) -> None:
    for persona in ("coordination", "editor_of_lead_office", "participant", "reader"):
        page = _page(staff_client(persona).get("/intern/"))
        assert 'action="/intern/massnahme/"' in page, persona
        assert 'name="nummer"' in page, persona
        assert "Maßnahme öffnen" in page, persona
    assert "Maßnahmen mit Beteiligung" not in page  # the reader acts for no organisation


def test_the_number_typed_leads_to_the_staff_page_of_the_measure(
    staff_client: Any, world: World
) -> None:
    client = staff_client("reader")
    for typed in ("1-1", " 1 - 1 ", "1–1"):
        response = client.get("/intern/massnahme/", {"nummer": typed})
        assert response.status_code == 302, typed
        assert response["Location"] == "/intern/massnahmen/1-1/"


def test_an_unknown_number_answers_404_in_german_with_the_form_again(
    staff_client: Any, world: World
) -> None:
    client = staff_client("participant")
    response = client.get("/intern/massnahme/", {"nummer": "9-99"})
    assert response.status_code == 404
    page = _page(response)
    assert "Es gibt keine Maßnahme mit der Nummer „9-99“." in page
    assert 'value="9-99"' in page and 'aria-invalid="true"' in page
    assert len(re.findall(r"<h1[ >]", page)) == 1
    assert client.get("/intern/massnahme/").status_code == 400


def test_the_start_page_query_count_does_not_grow_with_the_participations(
    staff_client: Any, world: World
) -> None:
    client = staff_client("participant")
    with CaptureQueriesContext(connection) as few:
        client.get("/intern/")
    for number in range(3, 23):
        participant(
            PlacementFactory(measure=MeasureFactory(plan=world.plan, number=f"1-{number}")),
            world.uwa,
        )
    with CaptureQueriesContext(connection) as many:
        page = _page(client.get("/intern/"))
    assert page.count('href="/intern/massnahmen/1-') == 21
    assert len(few) == len(many)


# --- 2. the read-only report lists every step and building block ---------------------------


def test_read_only_report_lists_steps_without_a_record_as_open(
    staff_client: Any, world: World
) -> None:
    report = world.report(State.SUBMITTED)
    StepProgress.objects.filter(report=report).delete()
    block = PlacementFactory(measure=world.measure, parent=world.placement, title="Radweg Nord")
    page = _page(staff_client("reader").get(f"/intern/berichte/{report.pk}/"))
    steps = page[page.index("Schritte und Bausteine") :]
    assert "Konzept erstellen" in steps
    assert f"Baustein: {block.title}" in steps
    assert steps.count("<dd>offen</dd>") == 2


# --- 3. steps and blocks say where they belong and who leads them --------------------------


def _measure_with_blocks(world: World) -> tuple[Measure, dict[str, Any]]:
    """A measure printed twice, once with two building blocks of different leads."""
    measure = MeasureFactory(plan=world.plan, number="1-9", title="Monitoring aufbauen")
    row = PlacementFactory(measure=measure, title="Monitoring aufbauen")
    lead(row, world.slr, world.afs)
    other_row = PlacementFactory(measure=measure, title="Datenbank Pflege", field_number=2)
    lead(other_row, world.uwa)
    block_afs = PlacementFactory(measure=measure, parent=row, title="Wohnflächen-Monitoring")
    lead(block_afs, world.afs)
    block_slr = PlacementFactory(measure=measure, parent=row, title="Gewerbeflächen")
    lead(block_slr, world.slr)
    steps = {
        "row": StepFactory(placement=other_row, text="Daten erheben"),
        "afs": StepFactory(placement=block_afs, text="Daten erheben"),
        "slr": StepFactory(placement=block_slr, text="Kataster aufbauen"),
    }
    return measure, {"block_afs": block_afs, "block_slr": block_slr, **steps}


def test_steps_of_a_measure_with_blocks_name_their_block_and_leads_own_first(
    world: World,
) -> None:
    measure, parts = _measure_with_blocks(world)
    report = services.start_report(world.coordination, world.reporting_round, measure, world.afs)
    targets = step_targets(report)
    names = [t.field_name for t in targets]
    # AfS leads block_afs (with its step); the rest follows in document order.
    assert names == [
        f"block_{parts['block_afs'].pk}",
        f"step_{parts['afs'].pk}",
        f"step_{parts['row'].pk}",
        f"block_{parts['block_slr'].pk}",
        f"step_{parts['slr'].pk}",
    ]
    assert [t.is_own for t in targets] == [True, True, False, False, False]
    by_name = {t.field_name: t for t in targets}
    assert by_name[f"step_{parts['afs'].pk}"].context == (
        "Baustein „Wohnflächen-Monitoring“ · Federführung: AfS"
    )
    assert by_name[f"step_{parts['row'].pk}"].context == (
        "zu „Datenbank Pflege“ (Handlungsfeld 2) · Federführung: UWA"
    )
    assert (
        by_name[f"block_{parts['block_slr'].pk}"].label
        == "Baustein: Gewerbeflächen (Federführung: SLR)"
    )
    # The same text twice is now told apart.
    labels = [t.label for t in targets if t.text == "Daten erheben"]
    assert len(set(labels)) == 2


def test_report_form_groups_the_offices_own_steps_first(staff_client: Any, world: World) -> None:
    measure, parts = _measure_with_blocks(world)
    report = services.start_report(world.coordination, world.reporting_round, measure, world.afs)
    page = _page(staff_client("editor_of_lead_office").get(f"/intern/berichte/{report.pk}/"))
    own = page.index("Schritte und Bausteine unter Federführung von AfS")
    other = page.index("Weitere Schritte und Bausteine der Maßnahme (andere Federführung)")
    assert own < page.index(f'name="step_{parts["afs"].pk}"') < other
    assert other < page.index(f'name="block_{parts["block_slr"].pk}"')
    assert "Baustein „Wohnflächen-Monitoring“ · Federführung: AfS" in page


def test_a_measure_with_one_row_keeps_its_plain_step_labels(world: World) -> None:
    report = world.report()
    assert [t.label for t in step_targets(report)] == ["Konzept erstellen"]


# --- 4. the round dashboard ----------------------------------------------------------------


def test_dashboard_shows_the_review_list_before_the_folded_overdue_lists(
    staff_client: Any, world: World
) -> None:
    add_other_leads(world)
    report = world.report(State.SUBMITTED)
    world.reporting_round.deadline = datetime.date(2026, 7, 1)
    world.reporting_round.save()
    page = _page(staff_client("coordination").get(f"/intern/runden/{world.reporting_round.pk}/"))
    assert page.index("Berichte zur Prüfung") < page.index("Überfällige Berichte der Ämter (2)")
    assert "Überfällig: von der Koordination zu berichten (3)" in page
    assert "Der Ämter (" not in page
    assert page.count('<details class="staff-overdue">') == 2
    assert "Die 3 überfälligen Berichte der Koordination anzeigen" in page
    assert f'<tr class="kern-table__row" id="bericht-{report.pk}">' in page
    assert (
        f'name="next" value="/intern/runden/{world.reporting_round.pk}/#bericht-{report.pk}"'
        in page
    )


def test_review_from_the_dashboard_returns_to_the_reports_row(
    staff_client: Any, world: World
) -> None:
    report = world.report(State.SUBMITTED)
    dashboard = f"/intern/runden/{world.reporting_round.pk}/"
    response = staff_client("coordination").post(
        f"/intern/berichte/{report.pk}/freigeben/", {"next": f"{dashboard}#bericht-{report.pk}"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{dashboard}#bericht-{report.pk}"


def test_review_never_redirects_to_another_host(staff_client: Any, world: World) -> None:
    report = world.report(State.SUBMITTED)
    response = staff_client("coordination").post(
        f"/intern/berichte/{report.pk}/freigeben/", {"next": "https://evil.example/#bericht-1"}
    )
    assert response["Location"] == f"/intern/berichte/{report.pk}/"


# --- 5. reminders that reach nobody say why ------------------------------------------------


def test_reminders_that_reach_nobody_explain_why(staff_client: Any, world: World) -> None:
    response = staff_client("coordination").post(
        f"/intern/runden/{world.reporting_round.pk}/erinnern/", follow=True
    )
    page = _page(response)
    assert mail.outbox == []
    assert "0 Erinnerungen wurden versendet" not in page
    assert "kern-alert--warning" in page
    assert (
        "Keines der Ämter mit offenen Berichten hat eine aktive Redaktion mit E-Mail-Adresse"
        in page
    )


def test_reminders_that_reach_someone_are_counted(staff_client: Any, world: World) -> None:
    editor = world.user("editor_of_lead_office")
    editor.email = "afs@example.org"
    editor.save()
    response = staff_client("coordination").post(
        f"/intern/runden/{world.reporting_round.pk}/erinnern/", follow=True
    )
    assert "1 Erinnerung wurde versendet" in _page(response)


# --- 7. what the report form asks for ------------------------------------------------------


def _label(page: str, field_id: str) -> str:
    """The text of the field's label, without markup."""
    found = re.search(rf'<label class="kern-label" for="{field_id}">(.*?)</label>', page, re.S)
    assert found is not None
    return re.sub(r"<[^>]+>", "", found[1])


def test_status_and_progress_are_marked_as_needed_to_submit(
    staff_client: Any, world: World
) -> None:
    report = world.report()
    page = _page(staff_client("editor_of_lead_office").get(f"/intern/berichte/{report.pk}/"))
    for field_id in ("id_status", "id_progress"):
        assert "zum Einreichen nötig" in _label(page, field_id)
        assert "optional" not in _label(page, field_id)
    assert "optional" in _label(page, "id_summary")
    assert "bei Daueraufgaben freiwillig" in page


def test_a_report_for_a_municipality_names_the_lead_not_an_office(
    staff_client: Any, world: World
) -> None:
    other = add_other_leads(world)
    report = services.start_report(
        world.coordination, world.reporting_round, other["municipal"], other["kommunen"]
    )
    page = _page(staff_client("coordination").get(f"/intern/berichte/{report.pk}/"))
    assert "<dt>Federführung</dt><dd>Kommunen (berichtet über die Koordination)</dd>" in page
    assert "<dt>Amt</dt>" not in page
    assert "Das Amt arbeitet noch daran." not in page
    assert "Die Koordination arbeitet noch daran." in page


# --- 8. amounts the German way -------------------------------------------------------------


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


def test_the_form_shows_a_stored_amount_with_a_decimal_comma(
    staff_client: Any, world: World
) -> None:
    report = world.report()
    StatusReport.objects.filter(pk=report.pk).update(funding_amount=Decimal("12500.50"))
    page = _page(staff_client("editor_of_lead_office").get(f"/intern/berichte/{report.pk}/"))
    assert 'value="12500,50"' in page


# --- 9. Meine Maßnahmen counts within the filters ------------------------------------------


def test_state_counts_follow_the_field_and_text_filters(staff_client: Any, world: World) -> None:
    add_other_leads(world)  # AfS also leads 1-4 (field 2)
    client = staff_client("editor_of_lead_office")
    assert ">fehlt: 2</a>" in _page(client.get("/intern/massnahmen/"))
    page = _page(client.get("/intern/massnahmen/", {"feld": "2"}))
    assert 'href="?feld=2&amp;stand=missing">fehlt: 1</a>' in page
    page = _page(client.get("/intern/massnahmen/", {"q": "radweg"}))
    assert ">fehlt: 1</a>" in page
    assert "1 von 2 Berichten entspricht den Filtern." in page


# --- 10. refusal pages lead back -----------------------------------------------------------


def test_refusal_page_links_back_to_the_page_the_user_came_from(
    staff_client: Any, world: World
) -> None:
    report = world.report()  # a draft cannot be approved
    dashboard = f"http://testserver/intern/runden/{world.reporting_round.pk}/"
    response = staff_client("coordination").post(
        f"/intern/berichte/{report.pk}/freigeben/", HTTP_REFERER=dashboard
    )
    assert response.status_code == 409
    page = _page(response)
    assert f'<a class="kern-link" href="{dashboard}">Zurück</a>' in page
    assert "Zurück zur Übersicht" in page


def test_refusal_page_ignores_a_referer_of_another_host(staff_client: Any, world: World) -> None:
    report = world.report()
    response = staff_client("coordination").post(
        f"/intern/berichte/{report.pk}/freigeben/", HTTP_REFERER="https://evil.example/x"
    )
    page = _page(response)
    assert "evil.example" not in page
    assert '<a class="kern-link" href="/intern/">Zurück</a>' in page
