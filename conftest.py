"""Fixtures for the whole test suite."""

from __future__ import annotations

from typing import Any

import pytest


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
