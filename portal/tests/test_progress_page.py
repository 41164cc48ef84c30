"""The progress page (/umsetzungsstand/): statuses per field per reporting round."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from monitoring import rollups, services
from monitoring.models import ReportingRound, StatusOption, StatusReport
from monitoring.status_chart import EXTRA_COLOURS, STATUS_COLOURS, WITHOUT_REPORT_COLOUR
from monitoring.tests.factories import lead
from plans.models import Measure, Organisation, Plan
from plans.services import import_parsed_plan, refresh_measure_facets
from plans.synthetic import scaled_plan
from plans.tests.factories import (
    MeasureFactory,
    NodeFactory,
    OrganisationFactory,
    PlacementFactory,
    PlanFactory,
)

URL = "/umsetzungsstand/"
STYLESHEET = django_settings.BASE_DIR / "monitoring" / "static" / "monitoring" / "status-chart.css"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    cache.clear()
    yield
    cache.clear()


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


# A hand-built plan -------------------------------------------------------------------------


@dataclass
class Scenario:
    """Two fields, four measures, two offices, a coordinator and the plan's statuses."""

    plan: Plan
    coordinator: Any
    afs: Organisation
    slr: Organisation
    measures: dict[str, Measure]
    statuses: dict[str, StatusOption]

    def open_round(self, name: str, reporting_date: datetime.date) -> ReportingRound:
        return services.open_round(
            self.coordinator, self.plan, name, reporting_date, reporting_date
        )

    def report(
        self,
        reporting_round: ReportingRound,
        number: str,
        organisation: Organisation,
        status_key: str,
        until: str = "publish",
    ) -> StatusReport:
        """A report taken along the workflow by the coordination up to the action `until`."""
        report = services.start_report(
            self.coordinator, reporting_round, self.measures[number], organisation
        )
        data = {"status": self.statuses[status_key], "progress": 50, "summary": "Stand"}
        report = services.save_report(self.coordinator, report, data, report.version)
        for action in ("submit", "approve", "publish"):
            report.refresh_from_db()
            getattr(services, f"{action}_report")(self.coordinator, report)
            if action == until:
                break
        return StatusReport.objects.get(pk=report.pk)


@pytest.fixture
def scenario(db, settings) -> Scenario:
    plan = PlanFactory(slug="kek-progress")
    settings.KEK_PLAN_SLUG = plan.slug
    NodeFactory(plan=plan, level=1, key="1", code="1", label="Wirtschaft", order=1)
    NodeFactory(plan=plan, level=1, key="2", code="2", label="Orte", order=2)
    afs = OrganisationFactory(plan=plan, abbreviation="AfS")
    slr = OrganisationFactory(plan=plan, abbreviation="SLR")
    measures = {}
    for number, home_field, leads in [
        ("1-1", 1, [afs]),
        ("1-2", 1, [slr]),
        ("2-1", 2, [afs, slr]),
        ("2-2", 2, [afs]),
    ]:
        measures[number] = MeasureFactory(plan=plan, number=number, home_field=home_field)
        lead(PlacementFactory(measure=measures[number]), *leads)
    # 2-2 also stands in a table of field 1: it counts there too, as the list filter finds it.
    lead(PlacementFactory(measure=measures["2-2"], field_number=1, goal_code="1.2"), afs)
    refresh_measure_facets(Plan.objects.get(slug="kek-progress").pk)
    coordinator = get_user_model().objects.create_superuser("koordination-test", "", "pw-1234!")
    statuses = {s.key: s for s in services.ensure_default_statuses(plan)}
    return Scenario(plan, coordinator, afs, slr, measures, statuses)


def counts_of(data: rollups.RoundRollups) -> dict:
    """{field number: ({status key: count} without zeros, without report, total)}."""
    statuses = data.table.statuses
    return {
        int(g.value): (
            {s.key: n for s, n in zip(statuses, g.counts, strict=True) if n},
            g.without_report,
            g.total,
        )
        for g in data.table.groups
    }


def by_round(plan: Plan) -> list[rollups.RoundRollups]:
    return rollups.rollups_by_round(plan, rollups.Facet.FIELD)


def test_each_round_counts_the_status_of_each_measure_as_it_stood_then_in_each_field(
    scenario,
):
    s = scenario
    spring = s.open_round("Monitoring 2025", datetime.date(2025, 6, 30))
    s.report(spring, "1-1", s.afs, "in_progress")
    s.report(spring, "1-2", s.slr, "delayed", until="approve")  # approved, not published
    s.report(spring, "2-1", s.afs, "not_started")
    autumn = s.open_round("Monitoring 2026", datetime.date(2026, 6, 30))
    s.report(autumn, "1-1", s.afs, "implemented")
    s.report(autumn, "1-2", s.slr, "delayed", until="submit")
    s.report(autumn, "2-2", s.afs, "continuous")
    s.open_round("Monitoring 2027", datetime.date(2027, 6, 30))  # nothing published yet

    data = by_round(s.plan)

    assert [r.reporting_round for r in data] == [spring, autumn]  # oldest first
    assert counts_of(data[0]) == {
        1: ({"in_progress": 1}, 2, 3),
        2: ({"not_started": 1}, 1, 2),
    }
    # 2-1 was not reported in 2026: it keeps its 2025 status there.
    assert counts_of(data[1]) == {
        1: ({"implemented": 1, "continuous": 1}, 1, 3),
        2: ({"not_started": 1, "continuous": 1}, 0, 2),
    }
    everywhere = data[1].table.whole_plan  # every measure once
    assert (sum(everywhere.counts), everywhere.without_report, everywhere.total) == (3, 1, 4)
    assert (data[1].table.whole_plan.reported, data[1].reported_in_round) == (3, 2)
    assert (data[0].table.whole_plan.reported, data[0].reported_in_round) == (2, 2)


def test_a_soft_deleted_published_report_does_not_count(scenario):
    s = scenario
    reporting_round = s.open_round("Monitoring 2026", datetime.date(2026, 6, 30))
    s.report(reporting_round, "1-1", s.afs, "implemented")
    withdrawn = s.report(reporting_round, "1-2", s.slr, "delayed")
    StatusReport.objects.filter(pk=withdrawn.pk).update(is_deleted=True)  # a data correction

    data = by_round(s.plan)

    assert counts_of(data[0])[1] == ({"implemented": 1}, 2, 3)


def test_a_round_whose_only_published_report_was_deleted_is_not_shown(scenario):
    s = scenario
    reporting_round = s.open_round("Monitoring 2026", datetime.date(2026, 6, 30))
    report = s.report(reporting_round, "1-1", s.afs, "implemented")
    StatusReport.objects.filter(pk=report.pk).update(is_deleted=True)

    assert by_round(s.plan) == []


def test_of_several_lead_offices_the_most_recently_published_report_counts(scenario):
    s = scenario
    reporting_round = s.open_round("Monitoring 2026", datetime.date(2026, 6, 30))
    by_afs = s.report(reporting_round, "2-1", s.afs, "in_progress")
    by_slr = s.report(reporting_round, "2-1", s.slr, "delayed")
    # AfS published last, although its report was started first.
    now = timezone.now()
    StatusReport.objects.filter(pk=by_slr.pk).update(published_at=now - datetime.timedelta(days=1))
    StatusReport.objects.filter(pk=by_afs.pk).update(published_at=now)

    data = by_round(s.plan)

    assert counts_of(data[0])[2] == ({"in_progress": 1}, 1, 2)


def test_page_shows_a_table_and_a_chart_per_field_for_each_round_newest_first(client, scenario):
    s = scenario
    spring = s.open_round("Monitoring 2025", datetime.date(2025, 6, 30))
    s.report(spring, "1-1", s.afs, "in_progress")
    autumn = s.open_round("Monitoring 2026", datetime.date(2026, 6, 30))
    s.report(autumn, "1-1", s.afs, "implemented")
    s.report(autumn, "2-2", s.afs, "continuous")

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert h1_count(html) == 1
    assert html.index("Monitoring 2026</h2>") < html.index("Monitoring 2025</h2>")
    assert (
        "Stand am 30. Juni 2026: 2 von 4 Maßnahmen mit veröffentlichtem Status, davon 2 in "
        "dieser Runde berichtet"
    ) in html
    assert "neuesten bis zu dieser Runde veröffentlichten Berichts" in html  # which counts
    # Per round and field one bar with an accessible name, and one table per round.
    by_round = html[html.index('id="runde-') :]
    assert by_round.count('role="img"') == 4
    assert by_round.count("<table") == 2
    # Over the rounds: the whole plan and each field, a bar per round (oldest first) and a
    # table with a row per round.
    trend = html[html.index('id="verlauf-plan"') : html.index('id="verlauf-feld-1"')]
    assert trend.count('role="img"') == 2
    assert trend.index("Monitoring 2025") < trend.index("Monitoring 2026")
    rows = dict(re.findall(r'scope="row">(Monitoring 20\d\d)</th>(.*?)</tr>', trend, re.S))
    numbers = {name: re.findall(r">(\d+)</td>", cells) for name, cells in rows.items()}
    order = [st.key for st in sorted(s.statuses.values(), key=lambda st: (st.order, st.pk))]
    expected_2025 = ["1" if key == "in_progress" else "0" for key in order] + ["3", "4"]
    expected_2026 = ["1" if key in ("implemented", "continuous") else "0" for key in order]
    assert numbers == {
        "Monitoring 2025": expected_2025,
        "Monitoring 2026": [*expected_2026, "2", "4"],
    }
    assert f'aria-labelledby="runde-{autumn.pk}-feld-2"' in html
    chart_name = re.search(rf'<title id="runde-{autumn.pk}-feld-2">([^<]*)</title>', html)[1]
    assert chart_name.startswith("Handlungsfeld 2: Orte, 2 Maßnahmen: ")
    assert f"{s.statuses['continuous'].label}: 1" in chart_name
    assert "kein veröffentlichter Bericht: 1" in chart_name
    # The bar of field 2 in 2026: half continuing task, half without report.
    bar = html[html.index(f'id="runde-{autumn.pk}-feld-2"') :].split("</svg>")[0]
    continuous = STATUS_COLOURS["continuous"]
    assert f'class="status-bar__segment" fill="{continuous}" x="0.000%"' in bar
    assert 'width="50.000%"' in bar
    assert f'fill="{WITHOUT_REPORT_COLOUR}" x="50.000%"' in bar
    # The legend names every colour in words.
    for status in s.statuses.values():
        colour = STATUS_COLOURS[status.key]
        assert f'fill="{colour}" stroke="#6b6e80"/></svg>{status.label}' in html
    # The table: a caption, header cells with scope, the counts.
    table = by_round[by_round.index("<table") : by_round.index("</table>")]
    assert "Maßnahmen je Status und Handlungsfeld, Monitoring 2026" in table
    assert 'scope="col"' in table and 'scope="row"' in table
    implemented = re.search(r"umgesetzt</th>(.*?)</tr>", table, re.S)[1]
    assert re.findall(r">(\d+)</td>", implemented) == ["1", "0", "1"]
    assert "<style" not in html and " style=" not in html


def test_page_without_published_reports_says_so_in_german(client, scenario):
    s = scenario
    reporting_round = s.open_round("Monitoring 2026", datetime.date(2026, 6, 30))
    s.report(reporting_round, "1-1", s.afs, "implemented", until="approve")

    html = client.get(URL).content.decode()

    assert h1_count(html) == 1
    assert "Es wurde noch kein Sachstand veröffentlicht." in html
    assert "<svg" not in html and "<table" not in html


def test_a_published_report_shows_on_the_next_request(client, scenario):
    s = scenario
    reporting_round = s.open_round("Monitoring 2026", datetime.date(2026, 6, 30))
    report = s.report(reporting_round, "1-1", s.afs, "implemented", until="approve")
    assert "Es wurde noch kein Sachstand veröffentlicht." in client.get(URL).content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    assert len(queries) == 1  # served from the cache: only the plan's revision

    services.publish_report(s.coordinator, report)

    html = client.get(URL).content.decode()
    assert "Es wurde noch kein Sachstand veröffentlicht." not in html
    assert "1 von 4 Maßnahmen mit veröffentlichtem Status" in html


def test_page_is_linked_from_the_main_navigation_and_the_start_page(client, kek_plan):
    html = client.get("/").content.decode()
    assert html.count('href="/umsetzungsstand/"') == 2
    assert "Umsetzungsstand je Berichtsrunde" in html
    progress_page = client.get(URL).content.decode()
    assert re.search(
        r'href="/umsetzungsstand/"\s+aria-current="page">Umsetzungsstand<', progress_page
    )


# Colours -----------------------------------------------------------------------------------


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(hex_colour: str) -> float:
    return 1.05 / (relative_luminance(hex_colour) + 0.05)


def test_every_default_status_has_its_own_colour_with_3_to_1_contrast_against_white():
    coloured = [STATUS_COLOURS[key] for key, _label, _continuous in services.DEFAULT_STATUSES]
    coloured += EXTRA_COLOURS

    assert len(set(coloured)) == len(coloured)
    for colour in coloured:
        assert contrast_with_white(colour) >= 3, colour
    # The light "no report" part relies on the bar's frame, which has the contrast itself.
    css = Path(STYLESHEET).read_text(encoding="utf-8")
    frame = re.search(r"\.status-bar \{[^}]*border: 1px solid (#[0-9a-f]{6})", css)[1]
    assert contrast_with_white(frame) >= 3


# Queries -----------------------------------------------------------------------------------


def publish_in_bulk(plan: Plan, reporting_round: ReportingRound, every: int) -> None:
    """Give every `every`-th measure of the plan a published report (no workflow: a read test)."""
    organisation = Organisation.objects.filter(plan=plan).first()
    statuses = list(StatusOption.objects.filter(plan=plan))
    reports = StatusReport.objects.filter(reporting_round=reporting_round).values("measure_id")
    measures = Measure.objects.filter(plan=plan).exclude(pk__in=reports).order_by("pk")
    StatusReport.objects.bulk_create(
        StatusReport(
            reporting_round=reporting_round,
            measure=measure,
            organisation=organisation,
            status=statuses[position % len(statuses)],
            state=StatusReport.State.PUBLISHED,
            published_at=timezone.now(),
        )
        for position, measure in enumerate(measures[::every])
    )


def progress_page_queries(client) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    assert 'role="img"' in response.content.decode()
    return len(queries)


def test_query_count_does_not_grow_with_the_plan(client, db, kek_parsed):
    import_parsed_plan(kek_parsed, apply=True)
    plan = Plan.objects.get(slug="kek-2030")
    services.ensure_default_statuses(plan)
    rounds = [
        ReportingRound.objects.create(
            plan=plan,
            name=f"Monitoring {year}",
            reporting_date=datetime.date(year, 6, 30),
            deadline=datetime.date(year, 9, 30),
        )
        for year in (2025, 2026)
    ]
    for every, reporting_round in zip((3, 1), rounds, strict=True):
        publish_in_bulk(plan, reporting_round, every)
    at_1 = progress_page_queries(client)

    import_parsed_plan(scaled_plan(kek_parsed, 10), apply=True)
    for every, reporting_round in zip((3, 1), rounds, strict=True):
        publish_in_bulk(plan, reporting_round, every)
    assert Measure.objects.filter(plan=plan).count() == 2330
    at_10 = progress_page_queries(client)

    assert at_10 == at_1
    # The plan (with its revision), the rounds, statuses, the fields' measures, all measures,
    # the fields' labels, one per round; the same for the goals over the rounds and their
    # headings.
    assert at_1 == 15
