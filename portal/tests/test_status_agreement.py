"""Every public page and file shows the same current status for every measure.

The reproduction of issue 10: a measure whose only published report is in an earlier round
showed its status in the list while the status filter did not find it. Here rounds with and
without reports, drafts, deleted reports and two offices on one measure are read back from
the list, the status filter, every measure page, the start page, the progress page and the
open-data file; they must agree with each other, measure by measure.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections import Counter
from typing import Any
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from indicators.models import Municipality
from monitoring import rollups, services
from monitoring.models import ReportingRound, StatusOption, StatusReport
from plans.models import KeyProject, Measure, Node, Organisation
from portal.slugs import key_project_slug
from portal.tests.status_markup import status_cells

State = StatusReport.State


def _bulk_reports(
    reporting_round: ReportingRound,
    measures: list[Measure],
    statuses: list[StatusOption],
    organisation: Organisation,
    *,
    state: str = State.PUBLISHED,
    offset: int = 0,
) -> None:
    """Reports on the measures with statuses taken in turn (no workflow: a read test)."""
    now = timezone.now()
    StatusReport.objects.bulk_create(
        StatusReport(
            reporting_round=reporting_round,
            measure=measure,
            organisation=organisation,
            status=statuses[(position + offset) % len(statuses)],
            progress=(position * 7) % 101,
            state=state,
            published_at=now if state == State.PUBLISHED else None,
        )
        for position, measure in enumerate(measures)
    )


@pytest.fixture
def two_rounds(kek_plan: Any) -> dict[str, Any]:
    """2025: every third measure published; 2026: every second one, plus the hard cases."""
    statuses = services.ensure_default_statuses(kek_plan)
    measures = list(Measure.objects.filter(plan=kek_plan).in_number_order())
    slr, va = (Organisation.objects.get(plan=kek_plan, abbreviation=a) for a in ("SLR", "VA"))
    earlier, newest = (
        ReportingRound.objects.create(
            plan=kek_plan,
            name=f"Monitoring {year}",
            reporting_date=datetime.date(year, 6, 30),
            deadline=datetime.date(year, 9, 30),
        )
        for year in (2025, 2026)
    )
    _bulk_reports(earlier, measures[::3], statuses, slr)
    _bulk_reports(newest, measures[::2], statuses, slr, offset=3)
    # Drafts in the newest round on measures reported only in 2025: they must not count.
    _bulk_reports(newest, measures[3::6], statuses, slr, state=State.DRAFT, offset=5)
    # A withdrawn newer report: its measure falls back to its 2025 status.
    withdrawn = StatusReport.objects.get(reporting_round=newest, measure=measures[0])
    StatusReport.objects.filter(pk=withdrawn.pk).update(is_deleted=True)
    # A second office on a measure of the newest round, published later: it wins.
    _bulk_reports(newest, [measures[2]], statuses, va, offset=1)
    StatusReport.objects.filter(reporting_round=newest, organisation=va).update(
        published_at=timezone.now() + datetime.timedelta(minutes=1)
    )
    # A Gemeinde: its page lists the measures of "Kommunen" and those naming it.
    Municipality.objects.create(
        ags="14729160", name="Grimma", area_km2=217, area_date=datetime.date(2023, 12, 31)
    )
    kek_plan.revision += 1  # a publication bumps the revision; so do we
    kek_plan.save(update_fields=["revision"])
    return {"plan": kek_plan, "statuses": statuses, "measures": measures}


def _all_pages(client: Any, url: str) -> str:
    """The HTML of every page of a paged list."""
    html, page = "", 1
    while True:
        content = client.get(f"{url}{'&' if '?' in url else '?'}page={page}").content.decode()
        html += content
        if f"page={page + 1}" not in content:
            return html
        page += 1


def _list_cells(client: Any, url: str = "/massnahmen/") -> dict[str, tuple[str, str]]:
    """Number → (status label, round) from every page of the measure list."""
    cells = {}
    for number, (label, _progress, round_name) in status_cells(_all_pages(client, url)):
        cells[number] = (label, round_name)
    return cells


def _pages_listing_measures(client: Any, plan: Any) -> list[str]:
    """Every page other than the measure list that lists measures with their status."""
    urls = [
        f"/leitziele/{code}/"
        for code in Node.objects.filter(plan=plan, level=2).values_list("key", flat=True)
    ]
    urls += [
        f"/teilziele/{code}/"
        for code in Node.objects.filter(plan=plan, level=3).values_list("code", flat=True)
    ]
    urls += [
        f"/organisationen/{abbreviation}/"
        for abbreviation in Organisation.objects.filter(plan=plan).values_list(
            "abbreviation", flat=True
        )
    ]
    urls += [
        f"/schluesselvorhaben/{key_project_slug(code)}/"
        for code in KeyProject.objects.filter(plan=plan).values_list("code", flat=True)
    ]
    urls += ["/verflechtungen/", "/suche/?q=Monitoring", "/suche/?q=Radweg"]
    urls += [f"/gemeinden/{ags}/" for ags in Municipality.objects.values_list("ags", flat=True)]
    return urls


def test_list_filter_measure_pages_start_page_progress_page_and_open_data_agree(
    client: Any, two_rounds: dict[str, Any]
) -> None:
    plan, statuses = two_rounds["plan"], two_rounds["statuses"]
    measures: list[Measure] = two_rounds["measures"]
    cells = _list_cells(client)
    assert set(cells) == {m.number for m in measures}
    no_report = "noch kein Bericht"
    # The cases of the fixture, as the list shows them.
    assert cells[measures[3].number][1] == "Monitoring 2025"  # only a 2025 report (+ a draft)
    assert cells[measures[0].number][1] == "Monitoring 2025"  # its 2026 report was withdrawn
    assert cells[measures[2].number][1] == "Monitoring 2026"
    assert cells[measures[1].number] == (no_report, "")
    labels = {s.label for s in statuses}
    with_status = {n for n, (label, _r) in cells.items() if label in labels}
    assert {n for n, (label, _r) in cells.items() if label == no_report} == (
        set(cells) - with_status
    )

    # The status filter finds exactly the measures whose cell shows the status.
    for status in statuses:
        found = set(_list_cells(client, f"/massnahmen/?status={status.key}"))
        assert found == {n for n, (label, _r) in cells.items() if label == status.label}, status

    # Every other list of measures shows the same badge and round for each measure in it.
    shown_elsewhere = 0
    for url in _pages_listing_measures(client, plan):
        response = client.get(url)
        assert response.status_code == 200, url
        for number, (label, _progress, round_name) in status_cells(response.content.decode()):
            assert (label, round_name) == cells[number], (url, number)
            shown_elsewhere += 1
    assert shown_elsewhere > 2 * len(measures)
    # The Gemeinde page among them lists the measures of "Kommunen", one page of them.
    assert len(status_cells(client.get("/gemeinden/14729160/").content.decode())) == 50

    # Each measure page shows the same status and round.
    for measure in measures:
        page = client.get(f"/massnahmen/{measure.number}/").content.decode()
        label, round_name = cells[measure.number]
        if label == no_report:
            assert "Für diese Maßnahme wurde noch kein Sachstand veröffentlicht." in page
            assert "portal-current-status" not in page, measure.number
        else:
            shown = re.search(r'portal-current-status">\s*<span[^>]*><span[^>]*>([^<]+)<', page)
            assert shown and shown[1] == label, measure.number
            assert f"Stand: {round_name} (Stichtag" in page, measure.number

    # The open-data file: the same status and round for every measure.
    response = client.get(f"/daten/{plan.slug}-umsetzungsstand.csv")
    rows = {r["number"]: r for r in csv.DictReader(io.StringIO(response.getvalue().decode()))}
    assert {n: (r["status_label"] or no_report, r["round"]) for n, r in rows.items()} == cells

    # The start page's roll-up per field counts what the list filtered by that field shows.
    start = client.get("/").content.decode()
    table = {
        int(field): [int(n) for n in re.findall(r'<td class="kern-table__cell">(\d+)</td>', row)]
        for field, row in re.findall(r'scope="row">(\d)</th>(.*?)</tr>', start, re.S)
    }
    assert len(table) == 3
    ordered = [s.label for s in sorted(statuses, key=lambda s: (s.order, s.pk))]
    for field, counts in table.items():
        in_field = Counter(
            label for label, _r in _list_cells(client, f"/massnahmen/?feld={field}").values()
        )
        assert counts == [in_field[label] for label in [*ordered, no_report]] + [
            sum(in_field.values())
        ], field
    progress = client.get("/umsetzungsstand/").content.decode()
    newest = re.search(r"Stand am 30\. Juni 2026: (\d+) von (\d+) Maßnahmen", progress)
    assert newest and (int(newest[1]), int(newest[2])) == (len(with_status), len(measures))


FILTER_OF_FACET = {
    "field": "feld",
    "goal": "leitziel",
    "subgoal": "teilziel",
    "key_project": "sv",
    "lead": "federfuehrung",
}


def test_every_roll_up_counts_what_the_list_filtered_by_its_group_shows(
    client: Any, two_rounds: dict[str, Any]
) -> None:
    plan = two_rounds["plan"]
    no_report = "noch kein Bericht"
    checked = 0
    for facet, parameter in FILTER_OF_FACET.items():
        table = rollups.rollups(plan, facet)
        assert table.groups, facet
        labels = [s.label for s in table.statuses]
        for group in table.groups:
            url = f"/massnahmen/?{urlencode({parameter: group.value})}"
            shown = Counter(label for label, _round in _list_cells(client, url).values())
            assert sum(shown.values()) == group.total, url
            assert [shown[label] for label in labels] == list(group.counts), url
            assert shown[no_report] == group.without_report, url
            checked += 1
    assert checked > 100  # 3 fields, 10 goals, 39 sub-goals, 13 key projects, the leads
    # The whole plan counts every measure once, as the unfiltered list does.
    everything = Counter(label for label, _round in _list_cells(client).values())
    whole = rollups.rollups(plan, "field").whole_plan
    assert (whole.total, whole.without_report) == (sum(everything.values()), everything[no_report])


def _rollup_block(html: str) -> dict[str, list[int]]:
    """Status label (or "Maßnahmen insgesamt") → the counts per group of the roll-up block."""
    table = re.search(r'<table class="[^"]*portal-rollup__table.*?</table>', html, re.S)
    assert table, "no roll-up block"
    rows = {}
    for label, cells in re.findall(
        r'scope="row">(?:<svg.*?</svg>)?\s*([^<]+)</th>(.*?)</tr>', table[0], re.S
    ):
        rows[label.strip()] = [int(n) for n in re.findall(r'numeric">(\d+)(?: %)?</td>', cells)]
    return rows


ROLLUP_PAGES = [
    ("/handlungsfelder/2/", [("feld", "2"), ("leitziel", "2.1"), ("leitziel", "2.2")]),
    ("/leitziele/3.1/", [("leitziel", "3.1"), ("teilziel", "3.1.1")]),
    ("/organisationen/SLR/", [("federfuehrung", "SLR"), ("beteiligt", "SLR")]),
    ("/schluesselvorhaben/sv-i-2/", [("sv", "SV I.2")]),
]


@pytest.mark.parametrize(("url", "groups"), ROLLUP_PAGES)
def test_every_roll_up_block_counts_what_the_filtered_list_shows(
    client: Any, two_rounds: dict[str, Any], url: str, groups: list[tuple[str, str]]
) -> None:
    statuses = sorted(two_rounds["statuses"], key=lambda s: (s.order, s.pk))
    block = _rollup_block(client.get(url).content.decode())
    for column, (parameter, value) in enumerate(groups):
        listed = _list_cells(client, f"/massnahmen/?{urlencode({parameter: value})}")
        shown = Counter(label for label, _round in listed.values())
        for status in statuses:
            assert block[status.label][column] == shown[status.label], (url, value, status)
        assert block["kein veröffentlichter Bericht"][column] == shown["noch kein Bericht"]
        assert block["Maßnahmen insgesamt"][column] == len(listed) > 0, (url, value)
        with_status = len(listed) - shown["noch kein Bericht"]
        assert block["Anteil mit veröffentlichtem Status"][column] == round(
            100 * with_status / len(listed)
        )


def test_the_start_page_opens_with_the_newest_closed_rounds_headline(
    client: Any, two_rounds: dict[str, Any]
) -> None:
    plan = two_rounds["plan"]
    assert "portal-headline" not in client.get("/").content.decode()  # no round closed yet
    ReportingRound.objects.filter(plan=plan).update(state=ReportingRound.State.CLOSED)
    plan.revision += 1
    plan.save(update_fields=["revision"])
    shown = Counter(label for label, _round in _list_cells(client).values())
    start = client.get("/").content.decode()
    headline = re.search(r'portal-headline"[^>]*>(.*?)</p>', start, re.S)
    assert headline, "no headline"
    text = " ".join(re.sub(r"<[^>]+>", " ", headline[1]).split())
    total = sum(shown.values())
    assert text.startswith(
        f"Stand: Monitoring 2026: {shown['umgesetzt']} von {total} Maßnahmen umgesetzt, "
    ), text
    for status in two_rounds["statuses"]:
        if shown[status.label] and status.key != "implemented":
            assert f"{shown[status.label]} {status.label}" in text
    assert f"{shown['noch kein Bericht']} ohne veröffentlichten Bericht" in text
    # Before the catalogue: the headline stands above the fields.
    assert start.index("portal-headline") < start.index('class="portal-fields"')


def test_the_progress_page_shows_each_goal_over_the_rounds_as_the_filtered_list_counts(
    client: Any, two_rounds: dict[str, Any]
) -> None:
    statuses = sorted(two_rounds["statuses"], key=lambda s: (s.order, s.pk))
    html = client.get("/umsetzungsstand/").content.decode()
    # The goal page leads there in one click.
    assert 'href="/umsetzungsstand/#leitziel-3.1"' in client.get("/leitziele/3.1/").content.decode()
    for goal in Node.objects.filter(plan=two_rounds["plan"], level=2):
        start = html.index(f'id="leitziel-{goal.key}"')
        section = html[start : html.index("</table>", start)]
        rows = dict(re.findall(r'scope="row">(Monitoring 20\d\d)</th>(.*?)</tr>', section, re.S))
        assert list(rows) == ["Monitoring 2025", "Monitoring 2026"], goal.key
        newest = [int(n) for n in re.findall(r">(\d+)</td>", rows["Monitoring 2026"])]
        # The newest round is today's state: what the list filtered by the goal shows.
        listed = _list_cells(client, f"/massnahmen/?leitziel={goal.key}")
        shown = Counter(label for label, _round in listed.values())
        assert newest == [shown[s.label] for s in statuses] + [
            shown["noch kein Bericht"],
            len(listed),
        ], goal.key
        earlier = [int(n) for n in re.findall(r">(\d+)</td>", rows["Monitoring 2025"])]
        assert earlier[-1] == len(listed) and earlier[:-2] != newest[:-2], goal.key


def test_the_open_data_files_carry_the_same_status_as_the_list_with_the_catalogue_columns(
    client: Any, two_rounds: dict[str, Any]
) -> None:
    import json

    from openpyxl import load_workbook

    plan = two_rounds["plan"]
    cells = _list_cells(client)
    no_report = "noch kein Bericht"

    def shown(rows: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
        return {str(r["number"]): (r["status_label"] or no_report, r["round"] or "") for r in rows}

    standard = client.get(f"/daten/{plan.slug}-umsetzungsstand.csv").getvalue()
    assert not standard.startswith(b"\xef\xbb\xbf")  # RFC 4180 file: no byte order mark
    rows = list(csv.DictReader(io.StringIO(standard.decode())))
    assert shown(rows) == cells
    excel = client.get(f"/daten/{plan.slug}-umsetzungsstand-excel.csv").getvalue()
    assert excel.startswith(b"\xef\xbb\xbf")
    excel_rows = list(csv.DictReader(io.StringIO(excel.decode("utf-8-sig")), delimiter=";"))
    assert excel_rows == rows  # the same cells, only re-delimited
    json_rows = json.loads(client.get(f"/daten/{plan.slug}-umsetzungsstand.json").getvalue())
    assert shown(json_rows) == cells
    sheet = load_workbook(
        io.BytesIO(client.get(f"/daten/{plan.slug}-umsetzungsstand.xlsx").getvalue())
    ).active
    header, *values = list(sheet.values)
    assert shown([dict(zip(header, v, strict=True)) for v in values]) == cells
    # The catalogue's columns, as the measure page shows them.
    by_number = {r["number"]: r for r in rows}
    m284 = by_number["2-84"]
    assert m284["title"] == Measure.objects.get(plan=plan, number="2-84").title
    assert m284["goal"].startswith("2.") and m284["lead"] and m284["priority"]
    with_key_project = [r for r in rows if r["key_projects"]]
    assert with_key_project and all(
        k.startswith("SV") for k in with_key_project[0]["key_projects"].split(";")
    )
    assert {r["commission"] for r in rows} == {"0", "1"}

    # Every published report of every round, newest round first; the first per measure gives
    # the status the list shows.
    reports = list(
        csv.DictReader(
            io.StringIO(client.get(f"/daten/{plan.slug}-berichte.csv").getvalue().decode())
        )
    )
    assert (
        len(reports) == StatusReport.objects.published().filter(reporting_round__plan=plan).count()
    )
    first: dict[str, tuple[str, str]] = {}
    for report in reports:
        first.setdefault(report["number"], (report["status_label"], report["round"]))
    assert first == {n: cell for n, cell in cells.items() if cell[0] != no_report}
    assert {r["round"] for r in reports} == {"Monitoring 2025", "Monitoring 2026"}
    assert all(r["summary"] is not None for r in reports)
    berichte_excel = client.get(f"/daten/{plan.slug}-berichte-excel.csv").getvalue()
    assert berichte_excel.startswith(b"\xef\xbb\xbf") and b";" in berichte_excel.splitlines()[0]


def _every_page(client: Any, url: str, parameter: str) -> str:
    """The HTML of every page of a list paged with `parameter` (`seite`, `seite_beteiligt`)."""
    html, page = "", 1
    while True:
        joiner = "&" if "?" in url else "?"
        content = client.get(f"{url}{joiner}{parameter}={page}").content.decode()
        html += content
        if f"{parameter}={page + 1}" not in content:
            return html
        page += 1


def test_every_measure_shows_one_status_on_every_page_of_every_list_and_in_the_api(
    client: Any, two_rounds: dict[str, Any]
) -> None:
    """Issue 12: for every measure of a plan with a published round, every page of every
    paged list (Leitziel, organisation – both lists –, key project, Verflechtungen), the
    search hits and the API show the status and round of the measure list."""
    plan = two_rounds["plan"]
    measures: list[Measure] = two_rounds["measures"]
    cells = _list_cells(client)
    no_report = "noch kein Bericht"
    seen: dict[str, set[tuple[str, str]]] = {}
    urls = [
        (f"/leitziele/{code}/", "seite")
        for code in Node.objects.filter(plan=plan, level=2).values_list("key", flat=True)
    ]
    for abbreviation in Organisation.objects.filter(plan=plan).values_list(
        "abbreviation", flat=True
    ):
        urls += [
            (f"/organisationen/{abbreviation}/", "seite"),
            (f"/organisationen/{abbreviation}/", "seite_beteiligt"),
        ]
    urls += [
        (f"/schluesselvorhaben/{key_project_slug(code)}/", "seite")
        for code in KeyProject.objects.filter(plan=plan).values_list("code", flat=True)
    ]
    urls += [("/verflechtungen/", "seite")]
    for url, parameter in urls:
        for number, (label, _progress, round_name) in status_cells(
            _every_page(client, url, parameter)
        ):
            seen.setdefault(number, set()).add((label, round_name))
    # Every measure is listed under some Leitziel, each with one status everywhere.
    assert set(seen) == {m.number for m in measures}
    assert {number: shown for number, shown in seen.items() if shown != {cells[number]}} == {}
    for measure in measures[:40]:  # the search finds a measure by its number
        hits = status_cells(client.get(f"/suche/?q={measure.number}").content.decode())
        assert (measure.number, cells[measure.number]) in [(n, (c[0], c[2])) for n, c in hits]

    # The API: the list (every page) and each measure's own resource.
    api: dict[str, tuple[str, str]] = {}
    api_page: str | None = "/api/v1/measures/?page_size=200"
    while api_page:
        body = client.get(api_page).json()
        for row in body["results"]:
            status = row["status"]
            api[row["number"]] = (
                (status["label"], status["round_name"]) if status else (no_report, "")
            )
        api_page = body["next"]
    assert api == cells
    for measure in measures[::25]:
        status = client.get(f"/api/v1/measures/{measure.number}/").json()["status"]
        shown = (status["label"], status["round_name"]) if status else (no_report, "")
        assert shown == cells[measure.number], measure.number
