"""Tests of import_parsed_plan: create, idempotence, diff without apply, update, atomicity."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.importers.structure import ParsedStep
from plans.models import (
    KeyProject,
    Measure,
    Node,
    Organisation,
    Placement,
    PlacementLead,
    Plan,
    Step,
)
from plans.plan_data import plan_snapshot
from plans.plan_diff import ImportResult, diff_plans
from plans.services import PlanImportError, catalogue_sync, import_parsed_plan
from plans.tests.parsed_plans import changed, placement, synthetic_plan

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def write_queries(context: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"] for q in context.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)
    ]


def table_counts() -> dict[str, int]:
    models = [Plan, Node, Organisation, KeyProject, Measure, Placement, PlacementLead, Step]
    return {model.__name__: model._default_manager.count() for model in models}


def test_importing_into_an_empty_database_creates_the_whole_plan(parsed_plan):
    result = import_parsed_plan(parsed_plan, apply=False)

    assert result.plan_created and result.applied
    assert result.summary() == "Plan „kek-test“ wurde neu angelegt."
    plan = Plan.objects.get(slug="kek-test")
    assert plan.level_names == ["Handlungsfeld", "Leitziel", "Teilziel", "Handlungsansatz"]
    assert table_counts() == {
        "Plan": 1,
        "Node": 10,
        "Organisation": 4,
        "KeyProject": 2,
        "Measure": 4,
        "Placement": 6,
        "PlacementLead": 7,
        "Step": 5,
    }


def test_the_stored_plan_reads_back_equal_to_the_parsed_one(parsed_plan):
    import_parsed_plan(parsed_plan, apply=False)

    result = ImportResult(slug="kek-test")
    diff_plans(plan_snapshot(Plan.objects.get()), parsed_plan, result)

    assert result.lines() == ["Keine Änderungen: Plan „kek-test“ entspricht bereits dem Dokument."]


def test_placements_keep_the_printed_order_of_leads_and_key_projects(parsed_plan):
    import_parsed_plan(parsed_plan, apply=False)

    row = Placement.objects.get(order=1)
    leads = [r.organisation.abbreviation for r in row.lead_rows.order_by("position")]
    codes = [r.key_project.code for r in row.key_project_rows.order_by("position")]
    assert leads == ["SLR", "AfS"]
    assert codes == ["SV I.2", "SV I.1"]


def test_priority_level_counts_the_pluses_of_the_highest_printed_level(parsed_plan):
    import_parsed_plan(parsed_plan, apply=False)

    levels = dict(Placement.objects.values_list("order", "priority_level"))
    assert levels == {0: 3, 1: 3, 2: None, 3: 1, 4: 2, 5: 2}


def test_building_block_rows_and_nested_steps_are_linked_to_their_parents(parsed_plan):
    import_parsed_plan(parsed_plan, apply=False)

    block = Placement.objects.get(order=4)
    assert block.parent == Placement.objects.get(order=3)
    sub_item = Step.objects.get(text="Unterpunkt b")
    assert sub_item.parent.text == "Erster Schritt"
    assert sub_item.order == 2


def test_a_second_import_of_the_same_plan_writes_nothing(parsed_plan):
    import_parsed_plan(parsed_plan, apply=False)

    with CaptureQueriesContext(connection) as context:
        result = import_parsed_plan(changed(parsed_plan), apply=True)

    assert not result.has_changes
    assert not result.applied
    assert write_queries(context) == []
    assert "Keine Änderungen" in result.summary()


def test_a_changed_plan_without_apply_writes_nothing_and_reports_the_differences(parsed_plan):
    import_parsed_plan(parsed_plan, apply=False)
    edited = changed(parsed_plan)
    edited.measures[0].title = "Neuer Titel"
    edited.placements[2].priority = "+"
    del edited.placements[5]
    edited.placements.append(placement("1-1", 5, node_key="2.1/1/1", field_number=2))

    with CaptureQueriesContext(connection) as context:
        result = import_parsed_plan(edited, apply=False)

    assert write_queries(context) == []
    assert result.has_changes and not result.applied
    assert "Maßnahme 1-1: Titel „Maßnahme 1-1 im Feld 1“ → „Neuer Titel“." in result.changed
    assert "Einordnung 1-10 (1. Vorkommen): Priorität „“ → „+“." in result.changed
    assert result.created == ["Einordnung 1-1 (2. Vorkommen) kommt neu hinzu."]
    assert result.removed == ["Einordnung 1-2 (2. Vorkommen) entfällt."]
    assert "nichts wurde geschrieben" in result.summary()
    assert Measure.objects.get(number="1-1").title == "Maßnahme 1-1 im Feld 1"


def test_apply_updates_in_place_and_keeps_the_measure_rows(parsed_plan):
    import_parsed_plan(parsed_plan, apply=False)
    measure_ids = dict(Measure.objects.values_list("number", "pk"))
    edited = changed(parsed_plan)
    edited.measures[1].title = "Neuer Titel 1-2"
    edited.placements[1].lead_organisations = ["AfS"]
    edited.placements[1].steps[0].children.pop()
    edited.organisations[0].name = "Amt für Straßen"

    result = import_parsed_plan(edited, apply=True)

    assert result.applied
    assert dict(Measure.objects.values_list("number", "pk")) == measure_ids
    assert Measure.objects.get(number="1-2").title == "Neuer Titel 1-2"
    assert Organisation.objects.get(abbreviation="AfS").name == "Amt für Straßen"
    row = Placement.objects.get(order=1)
    assert list(row.lead_organisations.values_list("abbreviation", flat=True)) == ["AfS"]
    assert list(row.steps.values_list("text", flat=True)) == [
        "Erster Schritt",
        "Unterpunkt a",
        "Zweiter Schritt",
    ]
    assert import_parsed_plan(changed(edited), apply=False).has_changes is False


def test_apply_removes_placements_measures_and_organisations_the_document_no_longer_has(
    parsed_plan,
):
    import_parsed_plan(parsed_plan, apply=False)
    edited = changed(parsed_plan)
    edited.placements = [p for p in edited.placements if p.number != "1-10"]
    edited.measures = [m for m in edited.measures if m.number != "1-10"]
    edited.organisations = [o for o in edited.organisations if o.abbreviation != "IHK"]
    for row in edited.placements:
        row.participant_organisations = [o for o in row.participant_organisations if o != "IHK"]
    edited.nodes = [n for n in edited.nodes if n.key != "1.1/1/2"]

    result = import_parsed_plan(edited, apply=True)

    assert "Maßnahme 1-10 entfällt." in result.removed
    assert not Measure.objects.filter(number="1-10").exists()
    assert Measure.all_objects.get(number="1-10").is_deleted  # softly: kept, out of the plan
    assert not Placement.all_objects.filter(measure__number="1-10").exists()
    assert not Organisation.objects.filter(abbreviation="IHK").exists()
    assert not Node.objects.filter(key="1.1/1/2").exists()
    assert import_parsed_plan(changed(edited), apply=False).has_changes is False


def test_apply_copes_with_placements_that_swap_their_positions(parsed_plan):
    import_parsed_plan(parsed_plan, apply=False)
    edited = changed(parsed_plan)
    first, second = edited.placements[0], edited.placements[1]
    first.order, second.order = 1, 0
    edited.placements[0], edited.placements[1] = second, first

    result = import_parsed_plan(edited, apply=True)

    assert "Einordnung 1-1 (1. Vorkommen): Position im Dokument 0 → 1." in result.changed
    assert list(Placement.objects.in_document_order().values_list("measure__number", flat=True))[
        :2
    ] == ["1-2", "1-1"]
    assert import_parsed_plan(changed(edited), apply=False).has_changes is False


def test_apply_turns_a_building_block_into_a_measure_row_when_its_parent_goes(parsed_plan):
    import_parsed_plan(parsed_plan, apply=False)
    edited = changed(parsed_plan)
    edited.placements[3].number_cell = "2-1"  # stays the 1st occurrence of 2-1
    del edited.placements[4]
    edited.placements[3].steps = [ParsedStep("Neu")]

    import_parsed_plan(edited, apply=True)

    assert Placement.objects.filter(measure__number="2-1").count() == 1
    assert Step.objects.filter(placement__order=3).get().text == "Neu"


def test_a_failure_midway_leaves_a_new_plan_unwritten(parsed_plan, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("Abbruch im Test")

    monkeypatch.setattr(catalogue_sync, "_sync_steps", fail)

    with pytest.raises(RuntimeError):
        import_parsed_plan(parsed_plan, apply=False)

    assert set(table_counts().values()) == {0}


def test_a_failure_midway_leaves_an_existing_plan_as_it_was(parsed_plan, monkeypatch):
    import_parsed_plan(parsed_plan, apply=False)
    before = table_counts()
    edited = changed(parsed_plan)
    edited.measures[0].title = "Geändert"
    del edited.placements[2]
    monkeypatch.setattr(Step.all_objects, "bulk_create", lambda *a, **k: 1 / 0)
    edited.placements[0].steps = [ParsedStep("neu")]

    with pytest.raises(ZeroDivisionError):
        import_parsed_plan(edited, apply=True)

    assert table_counts() == before
    assert Measure.objects.get(number="1-1").title == "Maßnahme 1-1 im Feld 1"


def test_an_inconsistent_parsed_plan_is_refused_with_a_german_message(parsed_plan):
    parsed_plan.placements[0].lead_organisations = ["UNBEKANNT"]
    parsed_plan.placements[1].number = "9-9"

    with pytest.raises(PlanImportError) as error:
        import_parsed_plan(parsed_plan, apply=False)

    message = str(error.value)
    assert "Organisation „UNBEKANNT“ fehlt" in message
    assert "Maßnahme 9-9 fehlt in der Liste der Maßnahmen" in message
    assert not Plan.objects.exists()


def test_a_kek_sized_plan_imports_every_step():
    # Its speed is measured by make bench (benchmarks/catalogue.py), not asserted here.
    parsed = synthetic_plan()
    assert len(parsed.placements) == 270

    import_parsed_plan(parsed, apply=False)

    assert Step.objects.count() == 270 * 4


def test_a_kek_sized_import_needs_bulk_queries_not_one_per_row():
    with CaptureQueriesContext(connection) as context:
        import_parsed_plan(synthetic_plan(), apply=False)

    # ~58 for the catalogue, ~11 for rebuilding the search index inside the import.
    assert len(context.captured_queries) < 72


def test_updating_a_kek_sized_plan_needs_bulk_queries_not_one_per_row():
    parsed = synthetic_plan()
    import_parsed_plan(parsed, apply=False)
    edited = changed(parsed)
    for row in edited.placements:
        row.title += " (geändert)"
        row.steps[0].text += " (geändert)"
        row.order += 1

    with CaptureQueriesContext(connection) as context:
        import_parsed_plan(edited, apply=True)

    # ~58 for the catalogue, ~11 for rebuilding the search index inside the import.
    assert len(context.captured_queries) < 72
    assert import_parsed_plan(changed(edited), apply=False).has_changes is False


def test_import_counts_a_revision_only_when_something_was_written(parsed_plan):
    import_parsed_plan(parsed_plan, apply=True)
    first = Plan.objects.get(slug=parsed_plan.slug).revision
    import_parsed_plan(parsed_plan, apply=True)

    assert first == 1
    assert Plan.objects.get(slug=parsed_plan.slug).revision == 1
