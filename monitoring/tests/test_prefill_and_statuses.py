"""Starting a report: pre-filled from the last published one, or a suggested status."""

from __future__ import annotations

import datetime

import pytest

from monitoring import services
from monitoring.models import StatusOption, StatusReport, StepProgress
from monitoring.tests.factories import World
from plans.models import Measure

State = StatusReport.State


def test_every_plan_gets_the_german_default_statuses_once(world: World):
    services.ensure_default_statuses(world.plan)

    labels = list(StatusOption.objects.filter(plan=world.plan).values_list("label", flat=True))
    assert labels == [
        "nicht begonnen",
        "in Vorbereitung",
        "in Umsetzung",
        "umgesetzt",
        "Daueraufgabe (laufend)",
        "verzögert",
        "zurückgestellt",
        "entfallen",
    ]
    assert StatusOption.objects.get(plan=world.plan, is_continuous=True).key == "continuous"


def test_a_new_report_is_prefilled_from_the_last_published_report_of_an_earlier_round(
    world: World,
):
    old = world.report(State.DRAFT)
    delayed = StatusOption.objects.get(plan=world.plan, key="delayed")
    services.save_report(
        world.coordination,
        old,
        {"status": delayed, "progress": 30, "summary": "Planung läuft", "obstacles": "Personal"},
        old.version,
    )
    services.set_step_progress(
        world.coordination,
        old,
        StepProgress.State.IN_PROGRESS,
        step=world.placement.steps.get(),
    )
    for action in (services.submit_report, services.approve_report, services.publish_report):
        action(world.coordination, old)
    next_round = services.open_round(
        world.coordination,
        world.plan,
        "Monitoring 2027",
        datetime.date(2027, 6, 30),
        datetime.date(2027, 9, 30),
    )

    new = services.start_report(world.user("editor_of_lead_office"), next_round, world.measure)

    assert (new.status, new.progress, new.summary, new.obstacles) == (
        delayed,
        30,
        "Planung läuft",
        "Personal",
    )
    assert new.state == State.DRAFT
    assert new.author == world.user("editor_of_lead_office")
    assert [p.state for p in new.step_progress.all()] == [StepProgress.State.IN_PROGRESS]


def test_an_unpublished_earlier_report_is_not_used_for_prefilling(world: World):
    world.report(State.APPROVED)
    next_round = services.open_round(
        world.coordination,
        world.plan,
        "Monitoring 2027",
        datetime.date(2027, 6, 30),
        datetime.date(2027, 9, 30),
    )

    new = services.start_report(world.coordination, next_round, world.measure, world.afs)

    assert new.summary == ""
    assert new.status.key == "not_started"


def test_a_measure_worded_as_a_continuing_task_starts_as_daueraufgabe(world: World):
    world.other_measure.title = "Fortschreibung des Nahverkehrsplanes"
    world.other_measure.save()

    report = services.start_report(
        world.user("editor_of_other_office"), world.reporting_round, world.other_measure
    )

    assert report.status.key == "continuous"
    assert report.status.label == "Daueraufgabe (laufend)"


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("2-24", True),  # "(als ständige Aufgabe weiterführen)"
        ("2-26", True),
        ("1-56", True),  # "Fortführung Koordinator/in Tourismus"
        ("3-33", True),  # "Fortschreibung des Nahverkehrsplanes"
        ("2-8", True),  # "Jährliche Fortschreibung des Kita-Bedarfsplanes"
        ("2-84", False),
        ("2-96", False),
    ],
)
def test_suggest_continuous_reads_the_wording_of_real_kek_measures(kek_plan, number, expected):
    measure = Measure.objects.get(plan=kek_plan, number=number)

    assert services.suggest_continuous(measure) is expected
