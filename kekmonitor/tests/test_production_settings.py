"""Production settings: `kek check --deploy` is clean, and they refuse to start insecurely."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _kek(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    """Run the `kek` command in a fresh interpreter with exactly these settings."""
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KEK_", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "SECURE_"))
        # The browser tests' event loop sets DJANGO_ALLOW_ASYNC_UNSAFE: not a deployment's.
        and key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "-m", "kekmonitor.cli", *args],
        env={**base, "KEK_VAR_DIR": str(tmp_path), **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "KEK_PRODUCTION": "1",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "kek.landkreisleipzig.example",
    # What the accessibility statement and the DCAT metadata name (deploy/kekmonitor.env).
    "KEK_CONTACT_EMAIL": "kreisentwicklung@landkreisleipzig.example",
    "KEK_DCAT_CONTRIBUTOR_ID": "http://dcat-ap.de/def/contributors/landkreisLeipzigTest",
}


def test_check_deploy_with_production_settings_reports_no_issue(tmp_path: Path) -> None:
    result = _kek(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_flags_the_demo_defaults(tmp_path: Path) -> None:
    """The check is real: without production mode it finds the insecure demo settings."""
    result = _kek(["check", "--deploy", "--fail-level", "WARNING"], {}, tmp_path)
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _kek(["check"], env, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_a_missing_secret_key_is_one_german_line_without_traceback(tmp_path: Path) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _kek(["check"], env, tmp_path)

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "muss im Produktivbetrieb gesetzt sein" in result.stderr


def test_a_weak_secret_key_is_an_error_of_check_deploy_in_production(tmp_path: Path) -> None:
    result = _kek(["check", "--deploy"], {**PRODUCTION, "SECRET_KEY": "geheim123"}, tmp_path)

    assert result.returncode != 0
    assert "operations.E001" in result.stderr
    assert "SECRET_KEY" in result.stderr
