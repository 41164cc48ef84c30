"""The progress report as a document: HTML (print layout, one file) and PDF (WeasyPrint, PDF/UA).

The public PDF of a round is rendered once per state of the round and kept under
`VAR_DIR/reports/`: its file name holds the round, when it was closed and reopened and the
plan's revision (which every published report raises), so a changed state gets a new file and
no request waits for WeasyPrint twice.
"""

from __future__ import annotations

import gc
import hashlib
import io
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import override

from monitoring.models import ReportingRound
from plans.models import Plan

from .content import ProgressReport, build_report

# The stylesheets of the printed document, in order (found like any static file).
DOCUMENT_CSS = ("monitoring/status-chart.css", "reports/report.css", "reports/report-print.css")
FONT_CSS = "vendor/kern/fonts/fira-sans.css"
# The newest PDF/UA variant WeasyPrint 70 writes that PDF readers and validators know well.
PDF_VARIANT = "pdf/ua-1"


def _static_path(name: str) -> Path:
    found = finders.find(name)
    if not found or isinstance(found, list):
        raise FileNotFoundError(name)
    return Path(found)


@cache
def document_css() -> str:
    """The printed document's stylesheets as one text (embedded in the HTML file)."""
    return "\n".join(_static_path(name).read_text(encoding="utf-8") for name in DOCUMENT_CSS)


# url("…/Face.woff2") format('woff2') in the font stylesheet.
_WOFF2 = re.compile(
    r"""url\(\s*['"]?([^'")]+\.woff2)['"]?\s*\)\s*format\(\s*['"]?woff2['"]?\s*\)"""
)


def _truetype(source: Path, folder: Path) -> Path:
    """The WOFF2 font as TrueType, decompressed once into folder (named by its content)."""
    data = source.read_bytes()
    target = folder / f"{source.stem}-{hashlib.sha256(data).hexdigest()[:16]}.ttf"
    if not target.exists():
        from fontTools.ttLib import woff2  # type: ignore[import-untyped]  # WeasyPrint uses it

        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as stream:
                woff2.decompress(io.BytesIO(data), stream)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return target


def truetype_font_css(css_path: Path, folder: Path) -> str:
    """The font stylesheet with its WOFF2 files replaced by TrueType files kept in folder.

    WeasyPrint decompresses every WOFF2 face it is given, on every document: for the ten
    Fira Sans faces that was 2–3 s of the report's 13 s. The same glyphs, decompressed once.
    """

    def replace(match: re.Match[str]) -> str:
        font = _truetype((css_path.parent / match.group(1)).resolve(), folder)
        return f'url("{font.as_uri()}") format("truetype")'

    return _WOFF2.sub(replace, css_path.read_text(encoding="utf-8"))


def render_html(report: ProgressReport) -> str:
    """The report as one self-contained HTML document (print layout, German)."""
    with override("de"):
        return render_to_string("reports/document.html", {"report": report, "css": document_css()})


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Python's cycle collector off while WeasyPrint works, then one collection.

    WeasyPrint builds hundreds of thousands of objects that live until the PDF is written; the
    collector walked them again and again during the render. Off, with one full collection
    after (WeasyPrint leaves ~500,000 objects in cycles), the full KEK 2030 report takes 7.4
    instead of 9.0 s (the collection included; benchmarks/report.py), for 9 MB more at its
    peak (334 → 343 MB). The collection here also keeps the next request from paying for the
    report's garbage. If another thread pauses it at the same time, the first to finish turns
    it back on: that thread merely renders at the normal speed.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect()


def html_to_pdf(html: str, title: str) -> bytes:
    """WeasyPrint alone: the rendered HTML as a tagged PDF/UA-1 document in German."""
    from weasyprint import CSS, HTML  # heavy import: only where a PDF is made
    from weasyprint.text.fonts import FontConfiguration

    # Properties of the shared screen stylesheets WeasyPrint does not know (stroke, overflow-x)
    # are ignored on purpose: no warnings on the console of `kek report`.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fonts = FontConfiguration()  # the portal's Fira Sans (KERN), embedded
    css_path = _static_path(FONT_CSS)
    font = CSS(
        string=truetype_font_css(css_path, Path(settings.VAR_DIR) / "reports" / "fonts"),
        base_url=str(css_path),
        font_config=fonts,
    )
    with cycle_collector_paused():
        document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(
            stylesheets=[font], font_config=fonts
        )
        document.metadata.title = title
        document.metadata.lang = "de"
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    assert pdf is not None  # write_pdf without a target returns the bytes
    return pdf


def render_pdf(report: ProgressReport) -> bytes:
    """The report as a PDF/UA-1 document: title, language de, bookmarks, tags."""
    with override("de"):
        title = f"{report.title} – {report.plan.title}"
    return html_to_pdf(render_html(report), title)


def _cache_name(plan: Plan, reporting_round: ReportingRound) -> str:
    def stamp(moment: object) -> str:
        return moment.strftime("%Y%m%dT%H%M%S%f") if moment else "none"  # type: ignore[attr-defined]

    return (
        f"{plan.slug}-{reporting_round.pk}-{reporting_round.slug}"
        f"-c{stamp(reporting_round.closed_at)}-r{stamp(reporting_round.reopened_at)}"
        f"-v{plan.revision}.pdf"
    )


def public_pdf(plan: Plan, reporting_round: ReportingRound) -> Path:
    """The public PDF of a closed round: rendered once per round state, then read from disk."""
    folder = Path(settings.VAR_DIR) / "reports"
    path = folder / _cache_name(plan, reporting_round)
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        pdf = render_pdf(build_report(plan, reporting_round))
        # Written beside and renamed: a concurrent request never reads half a file.
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(pdf)
        os.replace(temporary, path)
    return path
