"""Fixtures for the whole test suite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from plans.importers.kek_text import parse_document
from plans.importers.structure import ParsedPlan
from plans.models import Plan
from plans.services import import_parsed_plan


@pytest.fixture(autouse=True)
def _static_files_without_manifest(settings: Any) -> None:
    """Serve static files by their plain names in tests, as found by the finders.

    Production uses WhiteNoise's manifest storage, which needs `collectstatic` output; tests
    must not depend on a collected (possibly stale) var/static, and the live server of the
    browser tests serves files straight from the finders (app static/ and node_modules).
    portal/tests/test_static_files.py checks the manifest storage itself.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_page_cache() -> None:
    """Every test starts with an empty cache.

    Public pages are cached under the plan's id and revision, and both repeat across tests
    (each test's writes are rolled back): a page cached by one test could answer another.
    """
    cache.clear()


@pytest.fixture(autouse=True)
def _own_download_files(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test builds the open-data files into its own folder, before serving them.

    The stored files name the plan's id and revision, which repeat across tests (rolled back);
    "inline": a request that finds them older than the plan rebuilds them at once, as the
    committed change would (test transactions never commit).
    """
    settings.KEK_DOWNLOADS_DIR = tmp_path_factory.mktemp("downloads")
    settings.KEK_DOWNLOADS_REBUILD = "inline"


@pytest.fixture(autouse=True)
def _lists_show_a_publication_at_once(settings: Any) -> None:
    """A test reads a list right after publishing (production waits up to 10 s between
    renderings of a list; portal/tests/test_page_cache_invalidation.py tests that)."""
    settings.KEK_STATUS_LISTS_REFRESH_SECONDS = 0


KEK_DOCUMENT = Path(__file__).resolve().parent / "data" / "kek-2030" / "massnahmenkonzept.txt"


@pytest.fixture(scope="session")
def kek_parsed() -> ParsedPlan:
    """KEK 2030 as parsed from the shipped document (parsed once per test session)."""
    return parse_document(KEK_DOCUMENT.read_text(encoding="utf-8"))


@pytest.fixture
def kek_plan(db: Any, kek_parsed: ParsedPlan) -> Plan:
    """KEK 2030 imported into the test database."""
    import_parsed_plan(kek_parsed, apply=True)
    return Plan.objects.get(slug="kek-2030")
