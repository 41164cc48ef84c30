"""`kek export-site`: the small plan's portal as files, and what a static server needs of them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from plans.tests.factories import PlanFactory
from sitexport import paths, search_index
from sitexport.export import SiteExportError, prepare_directory
from sitexport.tests.small_site import ExportedSite


def read(site: ExportedSite, relative: str) -> str:
    return (site.directory / relative).read_text(encoding="utf-8")


def html_files(site: ExportedSite) -> list[Path]:
    return [p for p in site.directory.rglob("*.html") if "pagefind" not in p.parts]


def test_every_public_page_type_is_written_as_a_directory_index(exported: ExportedSite):
    assert exported.result.broken == []
    for page in [
        "index.html",
        "massnahmen/index.html",
        "massnahmen/1-1/index.html",
        "massnahmen/1-2/index.html",
        "handlungsfelder/1/index.html",
        "leitziele/1.1/index.html",
        "teilziele/1.1.1/index.html",
        "organisationen/index.html",
        "organisationen/AfS/index.html",
        "schluesselvorhaben/index.html",
        "verflechtungen/index.html",
        "umsetzungsstand/index.html",
        "berichte/index.html",
        "berichte/monitoring-2025/index.html",
        "daten/index.html",
        "suche/index.html",
        "barrierefreiheit/index.html",
        "indikatoren/index.html",
        "gemeinden/index.html",
        "kataster/index.html",
    ]:
        assert (exported.directory / page).is_file(), page
    measure = read(exported, "massnahmen/1-1/index.html")
    assert "Radwegenetz ausbauen" in measure
    # The status the portal shows: the published report of the closed round.
    assert exported.status_labels["1-1"] in measure


def test_the_files_of_the_open_data_page_and_the_reports_are_written(exported: ExportedSite):
    data = exported.directory / "daten"
    csv = (data / "kek-test-umsetzungsstand.csv").read_text(encoding="utf-8")
    assert csv.splitlines()[0].startswith("number,")
    assert "Radwegenetz ausbauen" in csv
    assert (data / "kek-test-massnahmen.xlsx").read_bytes()[:2] == b"PK"
    assert json.loads((data / "kek-test-plan.json").read_text(encoding="utf-8"))
    dcat = json.loads((data / "dcat").read_text(encoding="utf-8"))
    assert dcat["@id"] == "https://kek.example.org/daten/dcat"
    assert (exported.directory / "berichte" / "monitoring-2025.pdf").read_bytes()[:5] == b"%PDF-"


def test_every_internal_link_and_asset_of_every_page_is_a_file(exported: ExportedSite):
    missing = []
    for page in html_files(exported):
        url = "/" + str(page.parent.relative_to(exported.directory)).strip(".") + "/"
        for link in paths.page_links(page.read_text(encoding="utf-8")):
            if link.startswith("#") or not paths.is_internal(link.replace("&amp;", "&")):
                continue
            path = link.split("#")[0]
            assert "?" not in path, f"{url}: {link}"
            as_page = exported.directory / paths.file_for(path, True)
            as_file = exported.directory / paths.file_for(path, False)
            if not (as_page.is_file() or as_file.is_file()):
                missing.append(f"{url} → {link}")
    assert missing == []
    assert (exported.directory / "static" / "vendor" / "kern" / "kern.min.css").is_file()
    fonts = list((exported.directory / "static" / "vendor" / "kern").rglob("*.woff2"))
    assert fonts, "the fonts named by the font CSS are copied"


def test_pages_have_no_server_only_parts(exported: ExportedSite):
    for page in html_files(exported):
        text = page.read_text(encoding="utf-8")
        assert "htmx.min.js" not in text, page
        assert 'href="/intern/' not in text and 'href="/anmelden/' not in text, page
        assert 'method="post"' not in text.lower(), page


def test_filter_variants_are_pre_rendered_and_indexed(exported: ExportedSite):
    site = json.loads(read(exported, "static-site.json"))
    variant = site["variants"]["/massnahmen/?federfuehrung=SLR"]
    page = read(exported, variant.strip("/") + "/index.html")
    assert "Standortmarketing" in page and "Radwegenetz ausbauen" not in page
    index = site["measureFilter"]
    assert index["order"] == ["1-1", "1-2"]
    assert index["sets"]["federfuehrung=AfS"] == ["1-1"]
    assert index["sets"]["beteiligt=UWA"] == ["1-1"]
    assert index["sets"]["federfuehrung=SLR"] == ["1-2"]
    assert "Radwegenetz ausbauen" in index["rows"]["1-1"]
    # Only the unfiltered pages go into the search index.
    assert "data-pagefind-body" in read(exported, "massnahmen/1-1/index.html")
    assert "data-pagefind-body" not in page


def test_the_search_index_is_built(exported: ExportedSite):
    assert (exported.directory / "pagefind" / "pagefind.js").is_file()
    assert list((exported.directory / "pagefind").glob("pagefind-entry.json"))


def test_a_directory_with_content_is_refused_unless_forced(tmp_path: Path):
    (tmp_path / "alt").mkdir()
    (tmp_path / "alt" / "seite.html").write_text("alt", encoding="utf-8")
    with pytest.raises(SiteExportError, match="ist nicht leer"):
        prepare_directory(tmp_path, force=False)
    assert (tmp_path / "alt" / "seite.html").exists()
    prepare_directory(tmp_path, force=True)
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "datei").write_text("x", encoding="utf-8")
    with pytest.raises(SiteExportError, match="kein Verzeichnis"):
        prepare_directory(tmp_path / "datei", force=True)


def test_the_command_names_an_unknown_plan_and_a_non_empty_directory(db: Any, tmp_path: Path):
    with pytest.raises(CommandError, match=r"^Plan „gibt-es-nicht“ fehlt\.$"):
        call_command("export_site", str(tmp_path / "neu"), "--plan", "gibt-es-nicht")
    plan = PlanFactory()
    (tmp_path / "voll").mkdir()
    (tmp_path / "voll" / "datei").write_text("x", encoding="utf-8")
    with pytest.raises(CommandError, match="ist nicht leer"):
        call_command("export_site", str(tmp_path / "voll"), "--plan", plan.slug)


def test_query_urls_get_readable_paths_of_their_own():
    names = paths.VariantNames()
    assert paths.canonical_query("status=&feld=1&leitziel=") == "feld=1"
    assert paths.canonical_query("page=2&feld=1") == "feld=1&page=2"
    assert paths.static_url("/massnahmen/", "feld=1&page=2", names) == (
        "/massnahmen/_/feld-1--page-2/"
    )
    assert paths.static_url("/massnahmen/", "", names) == "/massnahmen/"
    # Two queries with the same readable name get different directories.
    first = paths.static_url("/organisationen/", "federfuehrung=Amt A", names)
    second = paths.static_url("/organisationen/", "federfuehrung=Amt-A", names)
    assert first != second
    # Names are unique below each path, so the same query reads the same elsewhere.
    assert paths.static_url("/a/", "jahr=2023", names) == "/a/_/jahr-2023/"
    assert paths.static_url("/b/", "jahr=2023", names) == "/b/_/jahr-2023/"
    assert paths.file_for("/organisationen/Amt%20f%C3%BCr/", True).as_posix() == (
        "organisationen/Amt für/index.html"
    )
    assert paths.file_for("/daten/x.csv", False).as_posix() == "daten/x.csv"
    with pytest.raises(ValueError):
        paths.file_for("/a/../../etc/", True)


def test_a_missing_pagefind_is_one_german_line(tmp_path: Path, monkeypatch: Any):
    monkeypatch.setattr(search_index, "PAGEFIND", tmp_path / "fehlt" / "pagefind")
    with pytest.raises(search_index.SearchIndexError, match=r"^Pagefind fehlt \(.*npm ci"):
        search_index.build_search_index(tmp_path)
