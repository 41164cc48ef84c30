"""Write the public portal of a plan as a static site (`kek export-site`).

The pages are rendered by the portal's own views through Django's test client, in this
process and against the live database: no HTTP server, nothing restated. Pages are found by
following the links of the start page and of the public URL names without parameters; each GET
form (the measure filters, the indicators' year) is pre-rendered once per option of each field.
"""

from __future__ import annotations

import html
import json
import logging
import re
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponseBase
from django.test import Client
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from plans.models import Plan
from sitexport import paths
from sitexport.context import INDEXED_KEY, STATIC_SITE_KEY
from sitexport.filter_index import FilterIndex
from sitexport.search_index import build_search_index

# Namespaces of the public pages (the staff pages of `indicators` are under /intern/).
PUBLIC_NAMESPACES = ("portal", "indicators", "reports")
SITE_FILE = "static-site.json"
URL_ATTRIBUTE = re.compile(r"""(\s(?:href|src|action)=)(["'])([^"']*)\2""")


class SiteExportError(Exception):
    """Export refused or failed; the message is one German line."""


@dataclass
class ExportResult:
    """What the export wrote."""

    directory: Path
    pages: int = 0
    files: int = 0
    size: int = 0
    seconds: float = 0.0
    broken: list[tuple[str, str]] = field(default_factory=list)  # (url, linked from)


def prepare_directory(directory: Path, *, force: bool) -> None:
    """Create the directory; refuse one with content unless `force` (then empty it)."""
    if directory.exists() and not directory.is_dir():
        raise SiteExportError(f"„{directory}“ ist kein Verzeichnis.")
    if directory.is_dir() and any(directory.iterdir()):
        if not force:
            raise SiteExportError(
                f"Das Verzeichnis „{directory}“ ist nicht leer (mit --force wird es geleert)."
            )
        for child in directory.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SiteExportError(
            f"„{directory}“ lässt sich nicht anlegen: {error.strerror}"
        ) from error


def public_seeds() -> list[str]:
    """The paths of every public URL name without parameters (start page first)."""
    seeds = ["/"]

    def walk(patterns: list[URLPattern | URLResolver], namespace: str | None) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(list(entry.url_patterns), entry.namespace or namespace)
            elif namespace in PUBLIC_NAMESPACES and entry.name and not entry.pattern.converters:
                seeds.append(reverse(f"{namespace}:{entry.name}"))

    walk(list(get_resolver().url_patterns), None)
    return seeds


@contextmanager
def _rendering_for(plan: Plan, host: str) -> Iterator[None]:
    """The portal shows `plan`; no page cache (nothing of the export reaches the live site's
    cache, nor the other way round); the export's host name is allowed."""
    with override_settings(
        KEK_PLAN_SLUG=plan.slug,
        CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, host],
    ):
        yield


def _body(response: HttpResponseBase) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return bytes(response.content)  # type: ignore[attr-defined]


class _Exporter:
    def __init__(self, directory: Path, base_url: str, progress: Callable[[str], None]) -> None:
        self.directory = directory
        parts = urlsplit(base_url)
        self.host = parts.netloc or "localhost"
        self.secure = parts.scheme == "https"
        self.client = Client(raise_request_exception=True)
        self.names = paths.VariantNames()
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")
        self.queue: deque[tuple[str, str, str]] = deque()  # (path, query, linked from)
        self.seen: set[tuple[str, str]] = set()
        self.variants: dict[str, str] = {}  # "/massnahmen/?feld=1" → its static URL
        self.static_files: deque[str] = deque()
        self.static_seen: set[str] = set()
        self.filters = FilterIndex()
        self.result = ExportResult(directory)
        self.progress = progress

    # -- discovery ------------------------------------------------------------------------
    def enqueue(self, url: str, referrer: str) -> None:
        """Remember an internal URL found at `referrer` (a page URL) for export."""
        absolute = urljoin(referrer, html.unescape(url))
        if not paths.is_internal(absolute):
            return
        parts = urlsplit(absolute)
        if parts.path.startswith(self.static_prefix):
            if parts.path not in self.static_seen:
                self.static_seen.add(parts.path)
                self.static_files.append(parts.path)
            return
        if not paths.is_exportable(parts.path, self.static_prefix):
            return
        key = (parts.path, paths.canonical_query(parts.query))
        if key not in self.seen:
            self.seen.add(key)
            self.queue.append((*key, referrer))

    def static_href(self, url: str, page_url: str) -> str:
        """The link as the static site needs it: queries become paths of their own."""
        absolute = urljoin(page_url, html.unescape(url))
        parts = urlsplit(absolute)
        if not parts.query or not paths.is_internal(absolute):
            return url
        if parts.path.startswith(self.static_prefix):
            return url
        query = paths.canonical_query(parts.query)
        target = paths.static_url(parts.path, query, self.names)
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        return html.escape(target + fragment)

    # -- pages ------------------------------------------------------------------------------
    def get(self, path: str, query: str) -> HttpResponseBase:
        extra = {STATIC_SITE_KEY: "1", INDEXED_KEY: "" if query else "1"}
        url = f"{path}?{query}" if query else path
        # django-stubs types **extra as the named parameters; these are WSGI environ keys.
        return self.client.get(
            url,
            headers={"host": self.host},
            secure=self.secure,
            **extra,  # type: ignore[arg-type]
        )

    def export_page(self, path: str, query: str, referrer: str) -> None:
        page_url = f"{path}?{query}" if query else path
        try:
            response = self.get(path, query)
        except Exception as error:  # any failure of a view: name the page, stop the export
            raise SiteExportError(
                f"Die Seite {page_url} (verlinkt von {referrer}) lässt sich nicht erzeugen: "
                f"{type(error).__name__}: {error}"
            ) from error
        if response.status_code in (301, 302, 303, 307, 308):
            location = urljoin(page_url, response["Location"])
            self.enqueue(location, page_url)
            target = self.static_href(location, page_url)
            self.write(
                path,
                query,
                True,
                (
                    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
                    f'<meta http-equiv="refresh" content="0; url={target}">'
                    f'<title>Weiterleitung</title></head><body><a href="{target}">'
                    f"{html.escape(location)}</a></body></html>"
                ).encode(),
            )
            return
        if response.status_code != 200:
            self.result.broken.append((f"{page_url} ({response.status_code})", referrer))
            return
        content_type = response.get("Content-Type", "")
        body = _body(response)
        if not content_type.startswith("text/html"):
            if query:  # a file with a query: only pages have variants
                self.result.broken.append((f"{page_url} (Datei mit Abfrage)", referrer))
                return
            self.write(path, "", False, body)
            return
        text = body.decode("utf-8")
        for link in paths.page_links(text):
            if not link.startswith("#"):
                self.enqueue(link, page_url)
        if not query:
            for variant in paths.form_variants(text, page_url):
                self.enqueue(variant, page_url)
        else:
            self.variants[f"{path}?{query}"] = paths.static_url(path, query, self.names)
        self.filters.add_page(path, query, text)
        text = URL_ATTRIBUTE.sub(
            lambda m: (
                f"{m.group(1)}{m.group(2)}{self.static_href(m.group(3), page_url)}{m.group(2)}"
            ),
            text,
        )
        self.write(path, query, True, text.encode("utf-8"))
        self.result.pages += 1

    def write(self, path: str, query: str, is_html: bool, body: bytes) -> None:
        url = paths.static_url(path, query, self.names)
        target = self.directory / paths.file_for(url, is_html)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        self.result.files += 1
        self.result.size += len(body)

    # -- static files -----------------------------------------------------------------------
    def copy_static(self, url_path: str) -> None:
        name = url_path[len(self.static_prefix) :]
        collected = Path(settings.STATIC_ROOT) / name
        source = collected if collected.is_file() else finders.find(name)
        if not source or not Path(str(source)).is_file():
            self.result.broken.append((url_path, "statische Dateien"))
            return
        body = Path(str(source)).read_bytes()
        if name.endswith(".css"):
            for link in paths.css_links(body.decode("utf-8", errors="replace")):
                self.enqueue(link, url_path)
        target = self.directory / paths.file_for(url_path, False)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        self.result.files += 1
        self.result.size += len(body)

    def run(self) -> None:
        for seed in public_seeds():
            self.enqueue(seed, "/")
        while self.queue:
            path, query, referrer = self.queue.popleft()
            self.export_page(path, query, referrer)
            if self.result.pages and self.result.pages % 200 == 0:
                self.progress(f"{self.result.pages} Seiten …")
        while self.static_files:
            self.copy_static(self.static_files.popleft())
        site = {"variants": self.variants, "measureFilter": self.filters.as_json()}
        body = json.dumps(site, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        (self.directory / SITE_FILE).write_bytes(body)
        self.result.files += 1
        self.result.size += len(body)


def export_site(
    plan: Plan,
    directory: Path,
    *,
    base_url: str | None = None,
    force: bool = False,
    search: bool = True,
    progress: Callable[[str], None] = lambda message: None,
) -> ExportResult:
    """Write the published public portal of `plan` into `directory` (empty or new)."""
    started = time.perf_counter()
    prepare_directory(directory, force=force)
    exporter = _Exporter(directory, base_url or settings.KEK_BASE_URL, progress)
    # The views' 404 warnings would flood the terminal: missing pages are reported at the end.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.CRITICAL)
    try:
        with _rendering_for(plan, exporter.host):
            exporter.run()
    finally:
        request_log.setLevel(level)
    result = exporter.result
    if search:
        progress("Suchindex (Pagefind) …")
        build_search_index(directory)
    files = [p for p in directory.rglob("*") if p.is_file()]
    result.files = len(files)
    result.size = sum(p.stat().st_size for p in files)
    result.seconds = time.perf_counter() - started
    return result
