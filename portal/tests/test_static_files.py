"""KERN UX and htmx are served from node_modules and survive the manifest storage."""

from __future__ import annotations

import json

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command


@pytest.mark.parametrize(
    "path",
    [
        "vendor/kern/kern.min.css",
        "vendor/kern/fonts/fira-sans.css",
        "vendor/kern/fonts/fira-sans/FiraSans-Regular.woff2",
        "vendor/htmx/htmx.min.js",
        "portal/portal.css",
    ],
)
def test_static_file_is_found(path):
    assert finders.find(path) is not None


def test_collectstatic_with_the_production_storage_rewrites_kern_font_urls(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

    call_command("collectstatic", interactive=False, verbosity=0)

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    font_css = (tmp_path / manifest["vendor/kern/fonts/fira-sans.css"]).read_text()
    hashed_regular = manifest["vendor/kern/fonts/fira-sans/FiraSans-Regular.woff2"]
    assert hashed_regular.rsplit("/", 1)[1] in font_css
    assert "vendor/htmx/htmx.min.js" in manifest
    assert "vendor/kern/kern.min.css" in manifest
