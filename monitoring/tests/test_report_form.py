"""The report form and the read-only report: steps and blocks, what submitting needs, the lead."""

from __future__ import annotations

import re
from typing import Any

from monitoring import services
from monitoring.forms import step_targets
from monitoring.models import StatusReport, StepProgress
from monitoring.tests.factories import World, lead
from monitoring.tests.test_worklists import add_other_leads
from plans.models import Measure
from plans.tests.factories import MeasureFactory, PlacementFactory, StepFactory

State = StatusReport.State


def _page(response: Any) -> str:
    return response.content.decode()


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
