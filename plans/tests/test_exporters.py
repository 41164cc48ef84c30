"""Tests of the placement export (CSV/JSON) and the whole-plan JSON export and import."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from plans.exporters import PLACEMENT_COLUMNS, export_placements, export_plan_json
from plans.models import Plan
from plans.plan_data import plan_schema
from plans.services import PlanImportError, import_parsed_plan, import_plan_json
from plans.tests.parsed_plans import small_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(parsed_plan) -> Plan:
    import_parsed_plan(parsed_plan, apply=False)
    return Plan.objects.get(slug=parsed_plan.slug)


def delete_everything() -> None:
    for plan in Plan.objects.all():
        plan.placements.all().delete()
        plan.delete()


def test_the_placement_csv_has_exactly_the_agreed_columns_in_order(plan):
    lines = export_placements(plan, "csv").decode("utf-8").split("\n")

    assert lines[0] == (
        "number,field,goal,subgoal,approach,lead,participants,priority,key_projects,commission,line"
    )


def test_the_placement_csv_has_one_row_per_placement_in_document_order(plan):
    data = export_placements(plan, "csv")

    assert b"\r" not in data
    assert data.endswith(b"\n")
    lines = data.decode("utf-8").splitlines()
    assert len(lines) == 1 + 6
    assert lines[1] == (
        "1-1,1,1.1,Attraktive Standortbedingungen,Sicherung der Infrastruktur,AfS,"
        '"SLR, Kommunen",+++,,0,100'
    )
    assert lines[2] == (
        "1-2,1,1.1,Attraktive Standortbedingungen,Sicherung der Infrastruktur,"
        '"SLR, AfS",,+++ / ++,SV I.2;SV I.1,1,101'
    )
    assert [line.split(",")[0] for line in lines[1:]] == ["1-1", "1-2", "1-10", "2-1", "2-1", "1-2"]


def test_the_placement_json_has_the_same_rows_and_keys_as_the_csv(plan):
    rows = json.loads(export_placements(plan, "json"))

    assert len(rows) == 6
    assert all(list(row) == list(PLACEMENT_COLUMNS) for row in rows)
    assert rows[1]["key_projects"] == "SV I.2;SV I.1"
    assert rows[1]["commission"] == 1
    assert rows[3]["field"] == 2


def test_the_plan_export_is_valid_against_its_json_schema(plan):
    data = json.loads(export_plan_json(plan))

    jsonschema.Draft202012Validator.check_schema(plan_schema())
    jsonschema.Draft202012Validator(plan_schema()).validate(data)
    assert data["slug"] == "kek-test"


def test_the_plan_export_is_deterministic_json_with_umlauts_and_a_trailing_newline(plan):
    first = export_plan_json(plan)

    assert first == export_plan_json(plan)
    assert first.endswith(b"}\n")
    assert "Maßnahme".encode() in first
    assert (
        first.decode("utf-8")
        == json.dumps(json.loads(first), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    )


def test_export_import_export_round_trip_is_byte_identical(plan):
    exported = export_plan_json(plan)
    delete_everything()

    imported = import_plan_json(json.loads(exported))

    assert imported.slug == "kek-test"
    assert export_plan_json(imported) == exported


def test_importing_plan_data_refuses_an_existing_slug(plan):
    data = json.loads(export_plan_json(plan))

    with pytest.raises(PlanImportError, match="Plan „kek-test“ ist bereits vorhanden"):
        import_plan_json(data)


def test_importing_plan_data_refuses_data_that_does_not_match_the_schema(db):
    import_parsed_plan(small_plan("anderer-plan"), apply=False)
    data = json.loads(export_plan_json(Plan.objects.get()))
    broken = copy.deepcopy(data)
    broken["slug"] = "neu"
    broken["placements"][0]["priority"] = 3

    with pytest.raises(PlanImportError, match="entspricht nicht dem Plan-Format") as error:
        import_plan_json(broken)

    assert "placements/0/priority" in str(error.value)
    assert not Plan.objects.filter(slug="neu").exists()
