"""Fixtures of the static site's tests."""

from __future__ import annotations

from typing import Any

import pytest

from sitexport.tests.small_site import ExportedSite, exported_once


@pytest.fixture(scope="module")
def exported(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> ExportedSite:
    """The small plan's portal as a static site (one export per test module)."""
    return exported_once(django_db_blocker, tmp_path_factory)
