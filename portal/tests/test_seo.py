"""robots.txt keeps crawlers out of the staff area; sitemap.xml lists every public page."""

from __future__ import annotations

import datetime
from typing import Any
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone

from indicators.importers.municipalities import parse_boundaries
from indicators.models import COUNTY_AGS
from indicators.services import ensure_default_registers, load_municipalities
from indicators.tests.conftest import BOUNDARIES
from monitoring.models import ReportingRound, StatusReport
from monitoring.tests.factories import World, build_world
from plans.models import Measure
from plans.tests.factories import (
    KeyProjectFactory,
    MeasureFactory,
    NodeFactory,
    OrganisationFactory,
)
from portal.sitemap import DISALLOWED_PREFIXES

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def world(db: Any, settings: Any) -> World:
    """A small plan with a field, goal and subgoal, a key project, Gemeinden, registers, a
    published report in a closed round and a deleted measure (which has no page)."""
    world = build_world()
    settings.KEK_PLAN_SLUG = world.plan.slug
    field = NodeFactory(plan=world.plan, level=1, key="1", code="1", label="Wirtschaft")
    goal = NodeFactory(plan=world.plan, level=2, key="1.2", code="1.2", parent=field)
    NodeFactory(plan=world.plan, level=3, key="1.2/1", code="1.2.1", parent=goal)
    KeyProjectFactory(plan=world.plan, code="SV I.2", field_number=1)
    boundaries = parse_boundaries(BOUNDARIES.read_text(encoding="utf-8"), COUNTY_AGS)
    load_municipalities(world.plan, boundaries, BOUNDARIES.name)
    ensure_default_registers(world.plan)
    world.report(StatusReport.State.PUBLISHED)
    assert world.reporting_round is not None
    ReportingRound.objects.filter(pk=world.reporting_round.pk).update(
        state=ReportingRound.State.CLOSED, closed_at=timezone.now()
    )
    Measure.objects.filter(pk=world.other_measure.pk).update(deleted_at=timezone.now())
    return world


def _sitemap(client: Any) -> dict[str, str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    root = ElementTree.fromstring(response.content)
    return {
        url.findtext("s:loc", namespaces=NS) or "": url.findtext("s:lastmod", namespaces=NS) or ""
        for url in root.findall("s:url", NS)
    }


def test_robots_txt_disallows_the_staff_area_and_names_the_sitemap(client, db):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for prefix in ["/intern/", "/admin/", "/anmelden/", "/api/"]:
        assert f"Disallow: {prefix}" in lines
    assert "Allow: /" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_the_sitemap_lists_every_public_page_of_the_plan_with_its_lastmod(client, world):
    published = StatusReport.objects.get(state=StatusReport.State.PUBLISHED).published_at
    urls = _sitemap(client)

    paths = [url.removeprefix("http://testserver") for url in urls]
    for expected in [
        "/",
        "/massnahmen/",
        "/massnahmen/1-1/",
        "/handlungsfelder/1/",
        "/leitziele/1.2/",
        "/teilziele/1.2.1/",
        "/organisationen/AfS/",
        "/schluesselvorhaben/sv-i-2/",
        "/umsetzungsstand/",
        "/verflechtungen/",
        "/daten/",
        "/berichte/",
        "/berichte/monitoring-2026/",
        "/indikatoren/bevoelkerung/",
        "/gemeinden/14729160/",
        "/kataster/gewerbeflaechen/",
        "/barrierefreiheit/",
        "/leichte-sprache/",
    ]:
        assert expected in paths
    assert "/massnahmen/1-2/" not in paths  # deleted
    assert len(paths) == len(set(paths))
    assert not [p for p in paths if p.startswith(DISALLOWED_PREFIXES)]
    assert set(urls.values()) == {published.isoformat(timespec="seconds")}
    # One page of each kind answers (every path resolves to a public view).
    first_of_kind: dict[str, str] = {}
    for path in paths:
        first_of_kind.setdefault(resolve(path).view_name, path)
    assert len(first_of_kind) >= 20, first_of_kind
    for path in first_of_kind.values():
        assert client.get(path).status_code == 200, path


def test_the_sitemap_changes_its_lastmod_with_a_new_import(client, world):
    later = timezone.now() + datetime.timedelta(days=1)
    world.plan.imported_at = later
    world.plan.revision += 1
    world.plan.save()

    assert set(_sitemap(client).values()) == {later.isoformat(timespec="seconds")}


def test_the_sitemap_reads_with_the_same_number_of_queries_on_a_larger_plan(client, world):
    def queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/sitemap.xml").status_code == 200
        return len(captured)

    small = queries()
    for number in range(3, 23):
        MeasureFactory(plan=world.plan, number=f"1-{number}")
        OrganisationFactory(plan=world.plan, abbreviation=f"A{number}")
        KeyProjectFactory(plan=world.plan, code=f"SV I.{number}", field_number=1)

    assert queries() == small
    assert len(_sitemap(client)) > 60
