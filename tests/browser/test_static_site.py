"""The exported static site in a browser, served by a plain static server (no Django).

Every link from the start page leads to a page or file, the search finds a measure through
Pagefind's index, and the measure filters combine without a server.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.sync_api import Page, Response, expect

from sitexport.tests.small_site import ExportedSite, exported_once


class QuietHandler(SimpleHTTPRequestHandler):
    """python -m http.server without the request log on stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, ExportedSite]]:
    """The small plan's static site, served on a free port; the database is no longer needed."""
    exported = exported_once(django_db_blocker, tmp_path_factory)
    handler = partial(QuietHandler, directory=str(exported.directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", exported
    server.shutdown()
    server.server_close()
    thread.join()


def test_every_internal_link_from_the_start_page_works(page: Page, site: tuple[str, ExportedSite]):
    base, _ = site
    failed: list[str] = []

    def note(response: Response) -> None:
        if response.status >= 400:
            failed.append(f"{response.status} {response.url}")

    page.on("response", note)
    todo, seen, pages = ["/"], {"/"}, 0
    while todo:
        path = todo.pop()
        answer = page.request.get(base + path)
        assert answer.ok, f"{answer.status} {path}"
        if not answer.headers.get("content-type", "").startswith("text/html"):
            continue
        page.goto(base + path)
        pages += 1
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            if not href.startswith(base):
                continue
            target = href[len(base) :].split("#")[0]
            assert "?" not in target, f"{path} links to {href}"
            if target not in seen:
                seen.add(target)
                todo.append(target)
    assert failed == []
    # Every page type of the small plan (Gemeinden only where the database has them).
    assert pages >= 20
    assert {
        "/massnahmen/",
        "/massnahmen/1-1/",
        "/massnahmen/1-2/",
        "/handlungsfelder/1/",
        "/leitziele/1.1/",
        "/teilziele/1.1.1/",
        "/organisationen/UWA/",
        "/schluesselvorhaben/",
        "/verflechtungen/",
        "/umsetzungsstand/",
        "/berichte/monitoring-2025/",
        "/berichte/monitoring-2025.pdf",
        "/daten/kek-test-umsetzungsstand.csv",
        "/indikatoren/",
        "/barrierefreiheit/",
    } <= seen


def test_the_search_in_the_header_finds_a_measure(page: Page, site: tuple[str, ExportedSite]):
    base, _ = site
    page.goto(base + "/")
    page.fill("#portal-search-q", "Radwegenetz")
    page.press("#portal-search-q", "Enter")
    page.wait_for_url("**/suche/?q=Radwegenetz")
    hit = page.locator(".portal-hit a", has_text="Radwegenetz ausbauen")
    expect(hit).to_be_visible()
    expect(page.locator(".portal-result-count")).to_contain_text("Treffer für „Radwegenetz“")
    hit.click()
    page.wait_for_url("**/massnahmen/1-1/")
    expect(page.locator("h1")).to_contain_text("Radwegenetz ausbauen")


def test_the_measure_filters_combine_without_a_server(page: Page, site: tuple[str, ExportedSite]):
    base, _ = site
    page.goto(base + "/massnahmen/")
    rows = page.locator("table.portal-results tbody tr")
    expect(rows).to_have_count(2)
    page.locator("summary", has_text="Filter").click()
    page.select_option("select[name=federfuehrung]", "AfS")
    page.select_option("select[name=beteiligt]", "UWA")
    page.get_by_role("button", name="Filter anwenden").click()
    page.wait_for_url("**/massnahmen/?beteiligt=UWA&federfuehrung=AfS")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Radwegenetz ausbauen")
    expect(page.locator(".portal-result-count")).to_have_text("Gefundene Maßnahmen: 1")
    expect(page.locator("select[name=federfuehrung]")).to_have_value("AfS")
    # A combination no measure meets.
    page.select_option("select[name=federfuehrung]", "SLR")
    page.get_by_role("button", name="Filter anwenden").click()
    page.wait_for_url("**/massnahmen/?beteiligt=UWA&federfuehrung=SLR")
    expect(page.locator(".portal-result-count")).to_have_text("Gefundene Maßnahmen: 0")
    expect(page.locator("table.portal-results")).to_be_hidden()
