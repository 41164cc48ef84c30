"""Pages that list measures grow with the page, not the plan; the accessibility statement and
the page in Leichte Sprache (issue 12)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.checks import run_checks

from monitoring import rollups, services
from monitoring.models import ReportingRound, StatusReport
from plans.models import Measure, Node, Organisation, Placement
from portal.views import catalogue

ROW = re.compile(
    r'<li class="portal-measure-row[^"]*">\s*<a[^>]*href="/massnahmen/([0-9]+-[0-9]+)/"'
)


def _goal_rows(plan: Any, code: str) -> list[str]:
    """The numbers of the rows the goal page lists: under its sub-goals and their approaches."""
    subgoals = Node.objects.filter(plan=plan, level=3, parent__key=code, parent__level=2)
    nodes = [*subgoals, *Node.objects.filter(plan=plan, parent__in=subgoals)]
    return list(
        Placement.objects.filter(plan=plan, node__in=nodes).values_list(
            "measure__number", flat=True
        )
    )


def test_the_goal_page_is_paged_and_every_row_is_on_exactly_one_page(
    client: Any, kek_plan: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalogue, "PAGE_SIZE", 10)
    expected = _goal_rows(kek_plan, "1.3")
    pages = -(-len(expected) // 10)
    assert pages >= 2
    shown: list[str] = []
    blocks = set()
    for number in range(1, pages + 1):
        html = client.get(f"/leitziele/1.3/?seite={number}").content.decode()
        rows = ROW.findall(html)
        assert 0 < len(rows) <= 10
        shown += rows
        assert f"(Seite {number} von {pages})</span></h1>" in html
        assert f"<title>Leitziel 1.3 (Seite {number} von {pages})" in html
        # The roll-up counts all of the goal's measures on every page.
        blocks.add(re.search(r'<table class="[^"]*portal-rollup__table.*?</table>', html, re.S)[0])
        if number < pages:
            assert f'href="?seite={number + 1}" rel="next"' in html
    assert sorted(shown) == sorted(expected)
    assert len(blocks) == 1
    # A sub-goal whose rows are on another page links there.
    last = client.get(f"/leitziele/1.3/?seite={pages}").content.decode()
    assert re.search(
        r'href="\?seite=1#teilziel-[^"]+">Maßnahmen dieses Teilziels \(\d+ Zeilen\): ab Seite 1<',
        last,
    )
    # Older links with ?page= still work.
    assert ROW.findall(client.get("/leitziele/1.3/?page=2").content.decode()) == shown[10:20]


def test_the_sub_goal_page_is_paged_in_the_order_of_its_nodes_and_every_row_is_shown_once(
    client: Any, kek_plan: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalogue, "PAGE_SIZE", 5)
    subgoal = Node.objects.get(plan=kek_plan, level=3, code="1.1.1")
    nodes = [subgoal, *Node.objects.filter(parent=subgoal).in_document_order()]
    expected = [  # the sub-goal's own rows, then each approach's, each in document order
        number
        for node in nodes
        for number in Placement.objects.filter(plan=kek_plan, node=node)
        .in_document_order()
        .values_list("measure__number", flat=True)
    ]
    pages = -(-len(expected) // 5)
    assert pages >= 2
    shown: list[str] = []
    for number in range(1, pages + 1):
        rows = ROW.findall(client.get(f"/teilziele/1.1.1/?seite={number}").content.decode())
        assert 0 < len(rows) <= 5
        shown += rows

    assert shown == expected


def test_roll_ups_reading_only_the_groups_measures_count_as_reading_all(kek_plan: Any) -> None:
    statuses = services.ensure_default_statuses(kek_plan)
    import datetime

    from django.utils import timezone

    reporting_round = ReportingRound.objects.create(
        plan=kek_plan,
        name="Monitoring 2026",
        reporting_date=datetime.date(2026, 6, 30),
        deadline=datetime.date(2026, 9, 30),
    )
    slr = Organisation.objects.get(plan=kek_plan, abbreviation="SLR")
    StatusReport.objects.bulk_create(
        StatusReport(
            reporting_round=reporting_round,
            measure=measure,
            organisation=slr,
            status=statuses[n % len(statuses)],
            progress=n % 101,
            state=StatusReport.State.PUBLISHED,
            published_at=timezone.now(),
        )
        for n, measure in enumerate(Measure.objects.filter(plan=kek_plan)[::2])
    )
    facet = rollups.Facet
    for name, values in (
        (facet.GOAL, ["1.3", "2.1"]),
        (facet.LEAD, ["SLR"]),
        (facet.FIELD, ["1", "2", "3"]),  # most of the plan: read without a list of ids
    ):
        every = rollups.rollups(kek_plan, name, values=values)
        shown = rollups.rollups(kek_plan, name, values=values, groups_only=True)
        assert shown.groups == every.groups, name
        assert any(sum(group.counts) for group in shown.groups)


def test_the_accessibility_statement_names_dates_method_contact_and_enforcement_body(
    client: Any, db: Any, settings: Any
) -> None:
    settings.KEK_CONTACT_EMAIL = "barrierefreiheit@lk-l.de"
    settings.KEK_ACCESSIBILITY_STATEMENT_DATE = "2026-12-01"
    settings.KEK_ACCESSIBILITY_TEST_DATE = "2026-11-20"
    settings.KEK_ENFORCEMENT_BODY_ADDRESS = "Durchsetzungsstelle; Musterstraße 1; 01097 Dresden"
    html = client.get("/barrierefreiheit/").content.decode()
    assert 'datetime="2026-12-01">1. Dezember 2026</time>' in html
    assert 'datetime="2026-11-20">20. November 2026</time>' in html
    assert "Selbstbewertung" in html
    assert 'href="mailto:barrierefreiheit@lk-l.de"' in html
    assert "Landesbeauftragten für Inklusion der Menschen mit Behinderungen" in html
    assert "Durchsetzungsstelle<br>Musterstraße 1<br>01097 Dresden</address>" in html
    assert 'href="/leichte-sprache/"' in html


def test_the_deployment_check_warns_about_an_example_contact_address(settings: Any) -> None:
    settings.KEK_CONTACT_EMAIL = "kreisentwicklung@example.invalid"
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert "operations.W002" in ids
    settings.KEK_CONTACT_EMAIL = "kreisentwicklung@landkreisleipzig.de"
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert "operations.W002" not in ids


def test_the_page_in_easy_language_is_linked_from_every_pages_footer(
    client: Any, kek_plan: Any
) -> None:
    html = client.get("/leichte-sprache/").content.decode()
    assert '<h1 class="kern-heading-x-large">Der KEK-Monitor in Leichter Sprache</h1>' in html
    assert "KEK ist die Abkürzung für: Kreis·entwicklungs·konzept." in html
    lines = re.findall(r'<p class="kern-body">([^<]+)</p>', html)
    assert len(lines) >= 20
    assert all(len(line.split()) <= 12 for line in lines), lines  # short sentences
    for url in (
        "/",
        "/leitziele/1.3/",
        "/massnahmen/2-84/",
        "/barrierefreiheit/",
        "/gibt-es-nicht/",
    ):
        page = client.get(url).content.decode()
        footer = page[page.index('<footer class="portal-footer">') :]
        assert (
            '<a class="kern-link kern-link--small" href="/leichte-sprache/">Leichte Sprache</a>'
            in footer
        ), url
