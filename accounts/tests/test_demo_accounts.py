"""Tests of the `demo_accounts` command and the demo password it keeps."""

from __future__ import annotations

import io
import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.demo import demo_password_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(tmp_path, settings, monkeypatch):
    """Keep var/ of each test in a temporary directory and start without $KEK_DEMO_PASSWORD."""
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("KEK_DEMO_PASSWORD", raising=False)
    return tmp_path


def run_demo_accounts() -> str:
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    return out.getvalue()


def test_it_creates_a_superuser_admin_that_can_sign_in_with_the_printed_password():
    output = run_demo_accounts()

    password = demo_password_file().read_text(encoding="utf-8").strip()
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser
    assert user.is_staff
    assert user.is_active
    assert user.check_password(password)
    assert "Portal:    http://127.0.0.1:8000/\n" in output
    assert "Anmeldung: http://127.0.0.1:8000/anmelden/" in output
    assert "Benutzer:  admin" in output
    assert f"Passwort:  {password}" in output
    assert "angelegt" in output


def test_it_keeps_the_generated_password_private_to_the_owner():
    run_demo_accounts()

    mode = stat.S_IMODE(demo_password_file().stat().st_mode)
    assert mode == 0o600


def test_a_second_run_keeps_the_same_password_and_the_same_user():
    first = run_demo_accounts()
    second = run_demo_accounts()

    password = demo_password_file().read_text(encoding="utf-8").strip()
    assert get_user_model().objects.filter(username="admin").count() == 1
    assert f"Passwort:  {password}" in first
    assert f"Passwort:  {password}" in second
    assert "aktualisiert" in second


def test_it_uses_kek_demo_password_when_set_and_writes_no_file(monkeypatch):
    monkeypatch.setenv("KEK_DEMO_PASSWORD", "ein-langes-demo-passwort")

    output = run_demo_accounts()

    user = get_user_model().objects.get(username="admin")
    assert user.check_password("ein-langes-demo-passwort")
    assert "Passwort:  ein-langes-demo-passwort" in output
    assert not demo_password_file().exists()


def test_it_restores_a_demoted_admin_with_a_changed_password():
    user = get_user_model().objects.create_user("admin", password="etwas-anderes")
    user.is_active = False
    user.save()

    run_demo_accounts()

    user.refresh_from_db()
    password = demo_password_file().read_text(encoding="utf-8").strip()
    assert user.is_superuser
    assert user.is_staff
    assert user.is_active
    assert user.check_password(password)
