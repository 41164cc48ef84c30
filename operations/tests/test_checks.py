"""`kek check --deploy` warns about configuration a production install must set."""

from __future__ import annotations

from typing import Any

from django.core.checks import run_checks


def _ids() -> set[str]:
    return {message.id for message in run_checks(include_deployment_checks=True)}


def test_the_deployment_check_warns_while_the_dcat_contributor_id_is_the_placeholder(
    settings: Any,
) -> None:
    settings.KEK_DCAT_CONTRIBUTOR_ID = settings.KEK_DCAT_CONTRIBUTOR_PLACEHOLDER
    assert "operations.W003" in _ids()
    settings.KEK_DCAT_CONTRIBUTOR_ID = "http://dcat-ap.de/def/contributors/landLeipzig"
    assert "operations.W003" not in _ids()
