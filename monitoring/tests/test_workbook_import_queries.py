"""The workbook import writes each new draft as one version, in bulk queries (issue 11)."""

from __future__ import annotations

from typing import Any

import pytest

from monitoring import services, workbook
from monitoring.models import Event, StatusReport
from monitoring.tests.factories import World, lead
from monitoring.tests.workbook_helpers import fill
from plans.models import Measure
from plans.tests.factories import MeasureFactory, PlacementFactory

pytestmark = pytest.mark.django_db

NEW_ROWS = 21


def _office_with_many_measures(world: World) -> list[str]:
    """AfS leads 1-1 (the world's) and 20 more measures; returns their numbers."""
    numbers = ["1-1"]
    for n in range(3, 3 + NEW_ROWS - 1):
        placement = PlacementFactory(measure=MeasureFactory(plan=world.plan, number=f"1-{n}"))
        lead(placement, world.afs)
        numbers.append(f"1-{n}")
    return numbers


def test_new_rows_are_written_in_bulk_as_one_version_each(
    world: World, django_assert_max_num_queries: Any
) -> None:
    numbers = _office_with_many_measures(world)
    assert world.reporting_round is not None
    editor = world.user("editor_of_lead_office")
    data = fill(
        workbook.build_workbook(world.reporting_round, world.afs),
        {n: {"status": "in Umsetzung", "progress": 30, "summary": f"Stand {n}"} for n in numbers},
    )
    preview = workbook.preview_import(editor, data, "afs.xlsx", world.reporting_round)
    assert preview.errors == [] and len(preview.changed) == NEW_ROWS

    # Before: ~27 queries per new row (start_report, then save_report). Now the policy's
    # check per measure and constant work; not a timing, a bound on the queries.
    with django_assert_max_num_queries(2 * NEW_ROWS + 25):
        assert workbook.apply_import(editor, preview) == NEW_ROWS

    reports = StatusReport.objects.current().filter(organisation=world.afs)
    assert sorted(r.measure.number for r in reports) == sorted(numbers)
    for report in reports:
        assert report.state == StatusReport.State.DRAFT
        assert report.version == 1
        assert report.status is not None and report.status.label == "in Umsetzung"
        assert (report.progress, report.summary) == (30, f"Stand {report.measure.number}")
        assert report.author == editor
        (record,) = report.history.all()
        assert (record.history_type, record.history_user, record.summary) == (
            "+",
            editor,
            report.summary,
        )
    events = Event.objects.filter(report__organisation=world.afs)
    assert sorted(events.values_list("kind", flat=True)) == ["report_started"] * NEW_ROWS
    assert {e.data["organisation"] for e in events} == {"AfS"}
    assert sorted(e.data["measure"] for e in events) == sorted(numbers)


def test_start_report_with_values_checks_them_and_writes_nothing_when_they_are_wrong(
    world: World,
) -> None:
    assert world.reporting_round is not None
    editor = world.user("editor_of_lead_office")
    measure = Measure.objects.get(plan=world.plan, number="1-1")

    with pytest.raises(services.InvalidData) as error:
        services.start_report(
            editor, world.reporting_round, measure, world.afs, values={"progress": 150}
        )

    assert "progress" in error.value.errors
    assert not StatusReport.objects.exists()
    assert not Event.objects.filter(kind=Event.Kind.REPORT_STARTED).exists()
    report = services.start_report(
        editor, world.reporting_round, measure, world.afs, values={"summary": "Begonnen"}
    )
    assert (report.summary, report.version, report.history.count()) == ("Begonnen", 1, 1)
