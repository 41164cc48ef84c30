"""`kek report`: the report as a file, German errors without a traceback."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from reports.example import OBSTACLE_MARK
from reports.tests.conftest import UNPUBLISHED_TEXT, Rounds


def test_kek_report_writes_the_public_html_of_the_latest_round(rounds: Rounds, tmp_path):
    target = tmp_path / "bericht.html"

    call_command(
        "report", "--plan", "kek-2030", "--round", "latest", "--format", "html", "-o", str(target)
    )

    html = target.read_text(encoding="utf-8")
    assert "Umsetzungsbericht Monitoring 2026" in html
    assert OBSTACLE_MARK not in html


def test_kek_report_intern_adds_the_internal_parts(rounds: Rounds, tmp_path):
    target = tmp_path / "intern.html"

    call_command(
        "report", "--round", "monitoring-2025", "--format", "html", "--intern", "-o", str(target)
    )

    html = target.read_text(encoding="utf-8")
    assert "Umsetzungsbericht Monitoring 2025" in html
    assert OBSTACLE_MARK in html
    assert UNPUBLISHED_TEXT not in html  # it belongs to the round 2026


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--plan", "gibt-es-nicht"], "Plan „gibt-es-nicht“ fehlt."),
        (["--round", "monitoring-1999"], "Berichtsrunde „monitoring-1999“ gibt es"),
        (["-o", "/gibt/es/nicht/bericht.pdf"], "Verzeichnis „/gibt/es/nicht“ fehlt."),
    ],
)
def test_kek_report_refuses_with_a_german_message(rounds: Rounds, tmp_path, arguments, message):
    options = {"-o": str(tmp_path / "b.pdf")}
    argv = [*arguments]
    if "-o" not in argv:
        argv += ["-o", options["-o"]]

    with pytest.raises(CommandError, match=message):
        call_command("report", *argv)
