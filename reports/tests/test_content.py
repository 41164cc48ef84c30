"""build_report reads every status through giving_status and keeps internal texts internal."""

from __future__ import annotations

import datetime

from monitoring import rollups
from monitoring.models import ReportingRound, StatusReport
from plans.models import Measure
from reports.content import build_report
from reports.example import OBSTACLE_MARK, full_round
from reports.rendering import render_html
from reports.tests.conftest import UNPUBLISHED_TEXT, Rounds


def blocks_by_measure(report):
    blocks = {}
    for section in report.fields:
        for goal in section.goals:
            for block in goal.blocks:
                assert block.measure.pk not in blocks, f"{block.measure.number} twice"
                blocks[block.measure.pk] = block
    return blocks


def test_every_measure_has_one_fact_block_with_the_status_giving_status_gives(rounds: Rounds):
    report = build_report(rounds.plan, rounds.latest)

    giving = {
        r.measure_id: r
        for r in StatusReport.objects.giving_status(rounds.plan, as_of=rounds.latest)
    }
    blocks = blocks_by_measure(report)
    assert set(blocks) == set(Measure.objects.filter(plan=rounds.plan).values_list("pk", flat=True))
    for measure_id, block in blocks.items():
        assert block.report is not None
        assert block.report.pk == giving[measure_id].pk
        assert block.report.reporting_round == rounds.latest


def test_the_report_of_an_earlier_round_shows_the_statuses_as_they_stood_then(rounds: Rounds):
    report = build_report(rounds.plan, rounds.previous)

    giving = dict(
        StatusReport.objects.giving_status(rounds.plan, as_of=rounds.previous).values_list(
            "measure_id", "status_id"
        )
    )
    blocks = blocks_by_measure(report)
    assert {pk: b.report.status_id for pk, b in blocks.items()} == giving
    assert report.previous_round is None
    assert report.changes == []


def test_a_measure_not_reported_in_the_round_keeps_its_earlier_status_and_round(rounds: Rounds):
    measure = Measure.objects.get(plan=rounds.plan, number="2-84")
    StatusReport.objects.filter(reporting_round=rounds.latest, measure=measure).delete()

    block = blocks_by_measure(build_report(rounds.plan, rounds.latest))[measure.pk]

    assert block.report.reporting_round == rounds.previous


def test_the_summary_counts_are_the_rollups_as_of_the_round(rounds: Rounds):
    report = build_report(rounds.plan, rounds.latest)

    goals = rollups.rollups(rounds.plan, rollups.Facet.GOAL, as_of=rounds.latest)
    assert [row.total for row in report.goal_chart.rows] == [g.total for g in goals.groups]
    assert [row.counts[:-1] for row in report.goal_chart.rows] == [
        list(g.counts) for g in goals.groups
    ]
    assert report.whole_plan.total == Measure.objects.filter(plan=rounds.plan).count()
    assert report.reported_in_round == report.whole_plan.total


def test_what_changed_lists_each_measure_whose_status_differs_from_the_previous_round(
    rounds: Rounds,
):
    before = dict(
        StatusReport.objects.giving_status(rounds.plan, as_of=rounds.previous).values_list(
            "measure_id", "status_id"
        )
    )
    now = dict(
        StatusReport.objects.giving_status(rounds.plan, as_of=rounds.latest).values_list(
            "measure_id", "status_id"
        )
    )

    report = build_report(rounds.plan, rounds.latest)

    changed = {pk for pk in now if now[pk] != before.get(pk)}
    assert changed  # the example round moves every fourth measure
    assert {c.measure.pk for c in report.changes} == changed
    for change in report.changes:
        assert change.before.pk == before[change.measure.pk]
        assert change.after.pk == now[change.measure.pk]
    assert report.previous_round == rounds.previous


def test_the_public_report_has_neither_obstacles_nor_unpublished_reports(rounds: Rounds):
    html = render_html(build_report(rounds.plan, rounds.latest))

    assert "1-1" in html
    assert OBSTACLE_MARK not in html
    assert UNPUBLISHED_TEXT not in html
    assert "Interne Fassung" not in html


def test_the_internal_report_adds_obstacles_and_the_rounds_unpublished_reports(rounds: Rounds):
    report = build_report(rounds.plan, rounds.latest, internal=True)
    html = render_html(report)

    assert OBSTACLE_MARK in html
    assert UNPUBLISHED_TEXT in html
    assert "Interne Fassung" in html
    block = blocks_by_measure(report)[rounds.unpublished.measure_id]
    assert block.unpublished == [rounds.unpublished]


def test_the_report_is_german_with_the_plans_field_colours(rounds: Rounds):
    html = render_html(build_report(rounds.plan, rounds.latest))

    assert '<html lang="de">' in html
    assert "Umsetzungsbericht Monitoring 2026" in html
    assert "30. Juni 2026" in html
    assert "Seite" in html and "counter(pages)" in html
    assert "report-field--blue" in html and "report-field--green" in html
    assert html.count('class="status-bar"') >= 3 + 10  # the fields' and Leitziele's bars


def test_a_round_without_a_previous_closed_round_says_so(kek_plan, settings, tmp_path):
    only = full_round(kek_plan, "Monitoring 2024", datetime.date(2024, 6, 30))
    ReportingRound.objects.create(
        plan=kek_plan,
        name="Monitoring 2023 offen",
        reporting_date=datetime.date(2023, 6, 30),
        deadline=datetime.date(2023, 9, 30),
    )

    report = build_report(kek_plan, only)

    assert report.previous_round is None
    assert [r.name for r in report.rounds] == ["Monitoring 2024"]


def test_the_annex_counts_the_statuses_carried_forward_per_status(rounds: Rounds):
    # Three measures of 2026 repeat their published 2025 report unchanged; the unpublished
    # carried-forward copy of another office does not give a status and is not counted.
    numbers = ["1-1", "1-2", "1-3"]
    for number in numbers:
        measure = Measure.objects.get(plan=rounds.plan, number=number)
        source = StatusReport.objects.get(reporting_round=rounds.previous, measure=measure)
        # Test data written like the example rounds: the closed round refuses model saves.
        StatusReport.objects.filter(
            reporting_round=rounds.latest, measure=measure, state=StatusReport.State.PUBLISHED
        ).update(carried_forward_from=source, status=source.status)
    StatusReport.objects.filter(pk=rounds.unpublished.pk).update(
        carried_forward_from=StatusReport.objects.filter(reporting_round=rounds.previous).first()
    )
    report = build_report(rounds.plan, rounds.latest)

    expected: dict[str, int] = {}
    for number in numbers:
        label = StatusReport.objects.get(
            reporting_round=rounds.latest, measure__number=number, state="published"
        ).status.label
        expected[label] = expected.get(label, 0) + 1
    assert dict(report.carried_forward) == expected
    html = render_html(report)
    assert "Unverändert übernommene Status" in html
    for label, count in expected.items():
        assert f"<li>{label}: {count}</li>" in html


def test_the_annex_says_when_nothing_was_carried_forward(rounds: Rounds):
    report = build_report(rounds.plan, rounds.latest)

    assert report.carried_forward == []
    assert "wurde kein Status unverändert" in render_html(report)
