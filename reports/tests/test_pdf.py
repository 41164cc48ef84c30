"""The PDF's structure: tagged PDF/UA-1 in German with title and bookmarks per field and goal.

Checked with poppler's pdfinfo and with pikepdf (a real validator such as veraPDF is not
available here, see TOOLCHAIN.md); one rendering of KEK 2030 with a full round.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
import pytest

from reports.content import build_report
from reports.rendering import render_pdf
from reports.tests.conftest import Rounds


def outline_titles(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    with pdf.open_outline() as outline:
        result: list[tuple[int, str]] = []

        def walk(items: list, depth: int) -> None:
            for item in items:
                result.append((depth, item.title))
                walk(item.children, depth + 1)

        walk(outline.root, 1)
    return result


@pytest.fixture
def pdf_file(rounds: Rounds, tmp_path):
    path = tmp_path / "bericht.pdf"
    path.write_bytes(render_pdf(build_report(rounds.plan, rounds.latest)))
    return path


def test_the_public_pdf_is_tagged_german_pdf_ua_with_bookmarks_and_page_numbers(pdf_file):
    info = subprocess.run(
        ["pdfinfo", str(pdf_file)], capture_output=True, text=True, check=True
    ).stdout
    assert "Tagged:          yes" in info
    assert "Title:           Umsetzungsbericht Monitoring 2026" in info
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert pages > 1
    meta = subprocess.run(
        ["pdfinfo", "-meta", str(pdf_file)], capture_output=True, text=True, check=True
    ).stdout
    assert 'pdfuaid:part="1"' in meta or "<pdfuaid:part>1</pdfuaid:part>" in meta

    with pikepdf.open(pdf_file) as pdf:
        root = pdf.Root
        assert str(root.Lang) == "de"
        assert "/StructTreeRoot" in root
        assert bool(root.MarkInfo.Marked)
        assert bool(root.ViewerPreferences.DisplayDocTitle)
        titles = outline_titles(pdf)

    top = [title for depth, title in titles if depth == 1]
    assert "Zusammenfassung" in top
    assert "Handlungsfeld 1: Starker Wirtschaftsstandort" in top
    assert "Handlungsfeld 2: L(i)ebenswerte Orte" in top
    assert "Handlungsfeld 3: Nachhaltiger Lebensraum" in top
    assert "Anhang: Methode, Runden und Lizenz" in top
    goals = [title for depth, title in titles if depth == 2 and title.startswith("Leitziel ")]
    assert [g.split(":")[0] for g in goals] == [
        f"Leitziel {code}"
        for code in ("1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3")
    ]
    # No bookmark per measure: the outline stays a table of contents.
    assert not any(title.startswith("2-84") for _, title in titles)

    # The contents page names the page of each part (CSS target-counter).
    text = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", "-layout", str(pdf_file), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Inhalt" in text
    summary = next(line for line in text.splitlines() if "Zusammenfassung" in line)
    assert summary.rstrip().split()[-1] == "3"  # title page, contents, then the summary
    annex = next(line for line in text.splitlines() if "Anhang" in line)
    assert int(annex.rstrip().split()[-1]) > 3


def test_the_pdf_embeds_fira_sans_from_truetype_files_decompressed_once(
    pdf_file, settings, monkeypatch
):
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    from reports import rendering

    folder = Path(settings.VAR_DIR) / "reports" / "fonts"
    css_path = rendering._static_path(rendering.FONT_CSS)
    css = rendering.truetype_font_css(css_path, folder)
    fonts = sorted(folder.glob("*.ttf"))

    assert "woff2" not in css
    assert len(fonts) == css.count('format("truetype")') == 10
    for font in fonts:  # the same glyphs as the WOFF2 face it was made from
        face = font.name.rsplit("-", 1)[0]
        woff2 = TTFont(css_path.parent / "fira-sans" / f"{face}.woff2")
        assert TTFont(font).getGlyphOrder() == woff2.getGlyphOrder()
    # A second document decompresses nothing.
    monkeypatch.setattr(rendering.tempfile, "mkstemp", None)
    assert rendering.truetype_font_css(css_path, folder) == css
    with pikepdf.open(pdf_file) as pdf:
        names = {
            str(font.get("/BaseFont"))
            for page in pdf.pages
            for font in page.Resources.get("/Font", {}).values()
        }
    assert any("Fira-Sans" in name for name in names), names


def test_weasyprint_renders_and_writes_with_the_cycle_collector_paused(monkeypatch):
    """The collector walked WeasyPrint's live boxes for a fifth of the report's time: it is
    off while the PDF is made and on again after, also when rendering fails."""
    import gc
    import weakref

    from weasyprint.document import Document

    from reports.rendering import cycle_collector_paused, html_to_pdf

    seen: list[bool] = []
    write_pdf = Document.write_pdf

    def recording(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(Document, "write_pdf", recording)
    assert gc.isenabled()

    pdf = html_to_pdf("<html lang='de'><title>T</title><p>Stand</p></html>", "T")

    assert pdf.startswith(b"%PDF") and seen == [False]
    assert gc.isenabled()

    class Node:
        pass

    with cycle_collector_paused():  # the garbage in cycles is collected at the end
        node = Node()
        node.itself = node  # type: ignore[attr-defined]
        alive = weakref.ref(node)
        del node
    assert alive() is None
    with pytest.raises(RuntimeError), cycle_collector_paused():
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()  # a caller that had it off finds it off
    try:
        with cycle_collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
