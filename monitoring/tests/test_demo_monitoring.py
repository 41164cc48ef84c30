"""Tests of the `demo_monitoring` command: roles, a demo round, idempotent."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.models import Membership
from monitoring.models import Comment, ReportingRound, StatusReport


@pytest.fixture(autouse=True)
def demo_password(tmp_path, settings, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("KEK_DEMO_PASSWORD", "ein-langes-demo-passwort")


def run() -> str:
    out = io.StringIO()
    call_command("demo_monitoring", stdout=out)
    return out.getvalue()


def test_it_creates_the_role_accounts_a_demo_round_and_marked_reports(kek_plan):
    output = run()

    users = get_user_model().objects.filter(
        username__in=["koordination", "redaktion-afs", "redaktion-slr", "beteiligte-uwa", "leser"]
    )
    assert users.count() == 5
    assert all(u.check_password("ein-langes-demo-passwort") for u in users)
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles["redaktion-afs"] == "redaktion"
    assert Membership.objects.get(user__username="beteiligte-uwa").organisation.abbreviation == (
        "UWA"
    )
    reporting_round = ReportingRound.objects.get(name="Monitoring 2026 (Demo)")
    reports = StatusReport.objects.filter(reporting_round=reporting_round)
    assert reports.count() == 5
    assert all(r.summary.startswith("[Demo]") for r in reports)
    assert set(reports.values_list("state", flat=True)) == {
        "draft",
        "submitted",
        "returned",
        "approved",
        "published",
    }
    assert "Passwort:  ein-langes-demo-passwort" in output
    assert "redaktion-afs" in output
    comment = Comment.objects.get()
    assert comment.author.username == "beteiligte-uwa"
    assert comment.text.startswith("[Demo]")
    assert "UWA" in comment.measure.placements.values_list("participants", flat=True)[0]


def test_a_second_run_changes_nothing(kek_plan):
    run()
    output = run()

    assert ReportingRound.objects.count() == 1
    assert StatusReport.objects.count() == 5
    assert Membership.objects.count() == 5
    assert Comment.objects.count() == 1
    assert "bereits vorhanden" in output
