"""Fixtures: KEK 2030 imported and indexed."""

from __future__ import annotations

from pathlib import Path

import pytest

from plans.importers.kek_text import parse_document
from plans.models import Plan
from plans.services import import_parsed_plan
from search.index import rebuild_index

DOCUMENT = Path(__file__).resolve().parents[2] / "data" / "kek-2030" / "massnahmenkonzept.txt"


@pytest.fixture
def kek_plan(db) -> Plan:
    """KEK 2030 imported from the shipped document, with its search index built."""
    import_parsed_plan(parse_document(DOCUMENT.read_text(encoding="utf-8")), apply=True)
    plan = Plan.objects.get(slug="kek-2030")
    rebuild_index(plan)
    return plan
