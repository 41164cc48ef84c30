"""Where each URL of the portal lands in the static site, and the links of a page.

A page `/a/b/` is written to `a/b/index.html`, a file `/daten/x.csv` to `daten/x.csv`. A static
server ignores query strings, so a URL with one (`/massnahmen/?feld=1&page=2`) gets a path of
its own below `_/` (`/massnahmen/_/feld-1--page-2/`); the links to it are rewritten to that path.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit

from django.utils.text import slugify

# Paths that need the server: the staff area, sign-in, the admin and the API.
SERVER_ONLY = ("/intern/", "/admin/", "/anmelden/", "/abmelden/", "/api/", "/healthz")
QUERY_DIR = "_"


def canonical_query(query: str) -> str:
    """The query with empty values dropped and the pairs sorted: the key of a variant."""
    pairs = sorted((key, value) for key, value in parse_qsl(query) if value != "")
    return "&".join(f"{key}={value}" for key, value in pairs)


def is_internal(url: str) -> bool:
    """A link to a page of this site (root-relative, no scheme or host)."""
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and parts.path.startswith("/")


def is_exportable(path: str, static_url: str) -> bool:
    """A public page or file (not the static files, which are copied, nor server-only paths)."""
    return not path.startswith(static_url) and not any(
        path == prefix.rstrip("/") or path.startswith(prefix) for prefix in SERVER_ONLY
    )


class VariantNames:
    """Stable, readable and unique directory names for the query variants of pages."""

    def __init__(self) -> None:
        self.taken: dict[tuple[str, str], str] = {}
        self.used: dict[str, set[str]] = {}  # names in use below each path

    def name(self, path: str, query: str) -> str:
        """`feld-1--page-2` for `feld=1&page=2`; a short hash is added if that name is taken."""
        key = (path, query)
        if key not in self.taken:
            readable = "--".join(
                f"{slugify(k)}-{slugify(v)}" for k, v in (p.split("=", 1) for p in query.split("&"))
            )[:80]
            name = readable
            used = self.used.setdefault(path, set())
            if name in used or not name:
                digest = hashlib.sha256(query.encode()).hexdigest()[:8]
                name = f"{readable}-{digest}".lstrip("-")
            used.add(name)
            self.taken[key] = name
        return self.taken[key]


def static_url(path: str, query: str, names: VariantNames) -> str:
    """The URL of a page in the static site (the path itself if there is no query)."""
    if not query:
        return path
    base = path if path.endswith("/") else path + "/"
    return f"{base}{QUERY_DIR}/{names.name(path, query)}/"


def file_for(url_path: str, is_html: bool) -> PurePosixPath:
    """The file (relative to the site's root) that a static server sends for the URL path."""
    path = unquote(url_path)
    parts = [part for part in path.split("/") if part]
    if any(part in (".", "..") for part in parts):
        raise ValueError(path)
    if is_html and (not parts or path.endswith("/") or "." not in parts[-1]):
        parts.append("index.html")
    return PurePosixPath(*parts) if parts else PurePosixPath("index.html")


@dataclass
class _Field:
    options: list[str] = field(default_factory=list)
    selected: str = ""


@dataclass
class _Form:
    action: str
    role: str
    fields: dict[str, _Field] = field(default_factory=dict)


class _LinkParser(HTMLParser):
    """Collects the URL attributes of a page and its GET forms with their fields."""

    ATTRIBUTES = {"href", "src", "action", "data-hx-get"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[_Form] = []
        self._form: _Form | None = None
        self._select: _Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.links += [v for name, v in values.items() if name in self.ATTRIBUTES and v]
        form = self._form
        if tag == "form" and values.get("method", "get").lower() == "get":
            self._form = _Form(values.get("action", ""), values.get("role", ""))
            self.forms.append(self._form)
        elif form is not None and tag == "select" and values.get("name"):
            self._select = form.fields[values["name"]] = _Field()
        elif form is not None and tag == "option" and self._select is not None:
            self._select.options.append(values.get("value", ""))
            if "selected" in values:
                self._select.selected = values.get("value", "")
        elif form is not None and values.get("type") == "checkbox" and values.get("name"):
            value = values.get("value", "on")
            chosen = value if "checked" in values else ""
            form.fields[values["name"]] = _Field(["", value], chosen)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def page_links(html: str) -> list[str]:
    """Every URL a page names in href, src, action or data-hx-get."""
    parser = _LinkParser()
    parser.feed(html)
    return parser.links


def form_variants(html: str, page_url: str) -> list[str]:
    """The URLs a page's GET forms lead to when one field is changed at a time.

    For each select (and check box) of each GET form, each of its options with the other
    fields as the page shows them: the "common combinations" the static site pre-renders.
    The site search forms are left out (the static search has its own index).
    """
    parser = _LinkParser()
    parser.feed(html)
    urls: list[str] = []
    for form in parser.forms:
        action = urlsplit(urljoin(page_url, form.action)).path
        if not form.fields or form.role == "search":
            continue
        current = {name: f.selected for name, f in form.fields.items()}
        for name, each in form.fields.items():
            for option in each.options:
                chosen = {**current, name: option}
                query = urlencode([(k, v) for k, v in chosen.items() if v])
                urls.append(f"{action}?{query}" if query else action)
    return urls


CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


def css_links(css: str) -> list[str]:
    """The url(…) references of a style sheet (fonts, images)."""
    return [
        match.group(2) for match in CSS_URL.finditer(css) if not match.group(2).startswith("data:")
    ]
