"""The small plan of the monitoring tests with one closed round, exported as a static site."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings

from monitoring.models import StatusReport
from monitoring.tests.factories import build_world
from plans.models import Node
from plans.services.facets import refresh_measure_facets
from reports.example import full_round
from sitexport.export import ExportResult, export_site


@dataclass
class ExportedSite:
    """A small plan with a closed round, exported to `directory`."""

    plan_slug: str
    directory: Path
    result: ExportResult
    status_labels: dict[str, str]  # measure number → label of its published status


def export_small_plan(directory: Path) -> ExportedSite:
    """Build the monitoring tests' world, close a round in which both measures were
    published, and export its portal (with the Pagefind index)."""
    world = build_world()
    # The factories place the measures under Leitziel 1.1 without making its nodes.
    field = Node.objects.create(plan=world.plan, level=1, key="1", code="1", label="Wirtschaft")
    goal = Node.objects.create(
        plan=world.plan, level=2, key="1.1", code="1.1", label="Starke Betriebe", parent=field
    )
    Node.objects.create(
        plan=world.plan, level=3, key="1.1.1", code="1.1.1", label="Gute Standorte", parent=goal
    )
    refresh_measure_facets(world.plan.pk)
    closed = full_round(world.plan, "Monitoring 2025", datetime.date(2025, 6, 30))
    labels = {
        report.measure.number: report.status.label
        for report in StatusReport.objects.filter(reporting_round=closed).select_related(
            "measure", "status"
        )
        if report.status is not None
    }
    with override_settings(KEK_PLAN_SLUG=world.plan.slug):
        result = export_site(world.plan, directory, base_url="https://kek.example.org")
    return ExportedSite(world.plan.slug, directory, result, labels)


# The files outlive the rolled-back plan: the export runs once per test session (and
# database), shared by the export tests and the browser test.
_exported: list[ExportedSite] = []


def exported_once(django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> ExportedSite:
    """Export the small plan once, inside a transaction rolled back afterwards.

    Static files by their plain names, as the suite's autouse fixture sets them per test; the
    open-data files built inline like in every test (that fixture is per test, this export is
    not): a background rebuild thread would hold a database connection past the session, and
    PostgreSQL then refuses to drop the test database.
    """
    if _exported and _exported[0].directory.is_dir():
        return _exported[0]
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    base = tmp_path_factory.mktemp("static-site")
    with (
        django_db_blocker.unblock(),
        override_settings(STORAGES=storages, VAR_DIR=base / "var", KEK_DOWNLOADS_REBUILD="inline"),
        transaction.atomic(),
    ):
        _exported[:] = [export_small_plan(base / "site")]
        transaction.set_rollback(True)
    return _exported[0]
