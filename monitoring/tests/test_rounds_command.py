"""`kek rounds list|close`: the rounds of a plan, and the staff area's close button as a job."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from monitoring import services
from monitoring.models import Event, ReportingRound
from monitoring.tests.factories import PERSONAS, World


def _list(world: World, capsys: Any) -> list[str]:
    call_command("rounds", "list", "--plan", world.plan.slug)
    return capsys.readouterr().out.splitlines()


def test_the_list_shows_each_round_with_stichtag_state_closed_and_amended(
    world: World, capsys: Any
) -> None:
    services.open_round(
        world.coordination,
        world.plan,
        "Monitoring 2025",
        world.reporting_round.reporting_date.replace(year=2025),
        world.reporting_round.deadline.replace(year=2025),
    )
    reporting_round = world.reporting_round
    services.close_round(world.coordination, reporting_round)
    services.reopen_round(world.coordination, reporting_round, "Korrektur")
    services.close_round(world.coordination, reporting_round)

    lines = _list(world, capsys)

    closed = timezone.localtime(reporting_round.closed_at).strftime("%d.%m.%Y %H:%M")
    assert lines[0].split() == [
        "Kurzname",
        "Name",
        "Stichtag",
        "Zustand",
        "Abgeschlossen",
        "am",
        "Geändert",
        "am",
    ]
    assert lines[1].split() == [
        "monitoring-2026",
        "Monitoring",
        "2026",
        reporting_round.reporting_date.strftime("%d.%m.%Y"),
        "abgeschlossen",
        *closed.split(),
        *closed.split(),
    ]
    assert lines[2].split() == [
        "monitoring-2025",
        "Monitoring",
        "2025",
        "30.06.2025",
        "offen",
        "–",
        "–",
    ]
    assert len(lines) == 3


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in ("anonymous", "no_role")])
def test_close_acts_only_for_the_coordination(world: World, persona: str, capsys: Any) -> None:
    """The command's part of the permission matrix: the same policy as the close button."""
    arguments = ["rounds", "close", "--plan", world.plan.slug, "--round", "monitoring-2026"]
    username = world.user(persona).username
    if persona == "coordination":
        call_command(*arguments, "--as", username)
        assert "Berichtsrunde „Monitoring 2026“ abgeschlossen" in capsys.readouterr().out
        assert not ReportingRound.objects.get(pk=world.reporting_round.pk).is_open
        assert Event.objects.filter(kind=Event.Kind.ROUND_CLOSED, user=world.coordination).exists()
    else:
        with pytest.raises(CommandError) as refused:
            call_command(*arguments, "--as", username)
        assert str(refused.value) == (
            f"{username} darf die Berichtsrunde „Monitoring 2026“ nicht abschließen: "
            "Das darf nur die Koordination."
        )
        assert ReportingRound.objects.get(pk=world.reporting_round.pk).is_open
        assert not Event.objects.filter(kind=Event.Kind.ROUND_CLOSED).exists()


@pytest.mark.parametrize(
    ("plan", "round_slug", "username", "message"),
    [
        ("gibt-es-nicht", "monitoring-2026", "coordination", "Plan „gibt-es-nicht“ fehlt."),
        ("kek-test", "monitoring-1999", "coordination", "Berichtsrunde „monitoring-1999“ fehlt"),
        ("kek-test", "latest", "coordination", "Berichtsrunde „latest“ fehlt"),
        ("kek-test", "monitoring-2026", "niemand", "Benutzer „niemand“ fehlt."),
    ],
)
def test_close_names_what_is_unknown(
    world: World, plan: str, round_slug: str, username: str, message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("rounds", "close", "--plan", plan, "--round", round_slug, "--as", username)
    assert ReportingRound.objects.get(pk=world.reporting_round.pk).is_open


def test_closing_a_closed_round_again_is_refused_in_german(world: World) -> None:
    services.close_round(world.coordination, world.reporting_round)
    with pytest.raises(CommandError, match="Die Berichtsrunde ist bereits abgeschlossen"):
        call_command(
            "rounds", "close", "--plan", "kek-test", "--round", "latest", "--as", "coordination"
        )


def test_the_real_kek_command_refuses_with_one_german_line_and_exit_code_1(
    tmp_path: Path,
) -> None:
    """The installed `kek` entry point, on a fresh database: no traceback, one German line."""
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'kek.sqlite3'}"}
    kek = str(Path(sys.executable).with_name("kek"))

    def run(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [kek, *arguments], env=environment, capture_output=True, text=True, timeout=600
        )

    assert run("migrate", "-v0").returncode == 0
    listed = run("rounds", "list", "--plan", "kek-2030")
    refused = run(
        "rounds", "close", "--plan", "kek-2030", "--round", "latest", "--as", "koordination"
    )

    assert listed.returncode == 1
    assert listed.stderr.strip().splitlines() == ["kek rounds: Plan „kek-2030“ fehlt."]
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == ["kek rounds: Plan „kek-2030“ fehlt."]
