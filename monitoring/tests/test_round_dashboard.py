"""The round dashboard: review list before the overdue lists, counts per field, back to a row."""

from __future__ import annotations

import datetime
import re
from typing import Any

from monitoring.models import StatusReport
from monitoring.tests.factories import World, lead
from monitoring.tests.test_worklists import add_other_leads
from plans.models import Measure
from plans.tests.factories import MeasureFactory, NodeFactory, PlacementFactory

State = StatusReport.State


def _page(response: Any) -> str:
    return response.content.decode()


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
