"""Tests of the `kek` console command."""

from __future__ import annotations

import sys

import pytest

from kekmonitor import cli


def test_help_lists_every_command_in_german_on_one_line_each(capsys):
    assert cli.main(["--help"]) == 0

    out = capsys.readouterr().out
    assert out.startswith("Aufruf: kek BEFEHL")
    for name in cli.COMMANDS:
        assert any(line.strip().startswith(f"{name} ") for line in out.splitlines()), name


def test_no_arguments_show_the_help(capsys):
    assert cli.main([]) == 0

    assert "Befehle:" in capsys.readouterr().out


def test_an_unknown_command_exits_2_with_a_german_message(capsys):
    assert cli.main(["gibtsnicht"]) == 2

    err = capsys.readouterr().err
    assert "unbekannter Befehl „gibtsnicht“" in err


@pytest.mark.parametrize(
    ("subcommand", "command"),
    [
        ("import-document", "import_document"),
        ("demo-accounts", "demo_accounts"),
        ("import", "import_data"),
        ("export", "export"),
        ("migrate", "migrate"),
    ],
)
def test_subcommands_map_dashes_to_underscores_and_import_to_import_data(subcommand, command):
    assert cli.management_command_name(subcommand) == command


def test_a_known_subcommand_runs_the_django_management_command(capsys):
    assert cli.main(["check"]) == 0

    assert "System check identified no issues" in capsys.readouterr().out


def test_serve_replaces_the_process_with_gunicorn(monkeypatch):
    calls = []
    monkeypatch.setattr(cli.os, "execv", lambda path, argv: calls.append((path, argv)))

    cli.main(["serve", "--bind", "127.0.0.1:9000", "--workers", "3"])

    [(path, argv)] = calls
    assert path == sys.executable
    assert argv[1:4] == ["-m", "gunicorn", "kekmonitor.wsgi:application"]
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:9000"
    assert argv[argv.index("--workers") + 1] == "3"


def test_serve_rejects_zero_workers():
    with pytest.raises(SystemExit) as exc:
        cli.main(["serve", "--workers", "0"])

    assert exc.value.code == 2
