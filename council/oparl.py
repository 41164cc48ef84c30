"""Reading an OParl 1.1 endpoint: System → bodies → papers, bounded against hostile servers.

Plain Python (urllib), no Django. Every answer is checked before it is used: JSON object,
the expected OParl `type`, the schema's required fields; every request has a timeout, a few
retries on network errors and 5xx, and a size cap; lists are followed over `links.next` up to
a page limit and never in a circle. Any refusal is an `OParlError` with one German sentence.
"""

from __future__ import annotations

import datetime
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

SCHEMA = "https://schema.oparl.org/1.1/"

# The required fields of OParl 1.1 (schema/*.json of the specification) that we rely on.
REQUIRED: dict[str, tuple[str, ...]] = {
    "System": ("id", "type", "oparlVersion", "body"),
    "Body": ("id", "type", "name", "organization", "person", "meeting", "paper", "legislativeTerm"),
    "Paper": ("id", "type"),
    "AgendaItem": ("id", "type", "order"),
}


class OParlError(Exception):
    """The endpoint could not be read or answered something we refuse (German message)."""


@dataclass(frozen=True)
class Limits:
    """How far the sync trusts a server."""

    timeout: float = 15.0  # seconds per request
    retries: int = 2  # further attempts after a network error or a 5xx answer
    retry_pause: float = 1.0  # seconds before the first retry, doubled each time
    max_pages: int = 200  # list pages in total (bodies and papers)
    max_bytes: int = 5_000_000  # per answer
    max_requests: int = 5_000  # in total (list pages, and agenda items of matched papers)


@dataclass(frozen=True)
class Consultation:
    """A consultation of a paper (embedded in the Paper in OParl 1.1)."""

    agenda_item: str
    authoritative: bool
    role: str


@dataclass(frozen=True)
class Paper:
    """An OParl Paper as far as the monitoring needs it."""

    id: str
    reference: str
    name: str
    date: datetime.date | None
    paper_type: str
    web: str
    text: str  # the main file's extracted text, if the server embeds it
    consultations: tuple[Consultation, ...] = field(default_factory=tuple)


Opener = Callable[[urllib.request.Request, float], Any]


def _plain_opener() -> Opener:
    """http(s) only: no file://, ftp:// or data: URLs, also not through a redirect."""
    director = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        director.add_handler(handler)
    return lambda request, timeout: director.open(request, timeout=timeout)


def _check_url(url: Any, what: str) -> str:
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
        raise OParlError(f"Ungültige Antwort: {what} ist keine http(s)-Adresse.")
    return url


class Client:
    """Fetches and checks OParl objects and lists within the limits."""

    def __init__(self, limits: Limits | None = None, opener: Opener | None = None) -> None:
        self.limits = limits or Limits()
        self.open = opener or _plain_opener()
        self.pages = 0
        self.requests = 0

    def get(self, url: str) -> dict[str, Any]:
        """The JSON object at the URL (retried on network errors and 5xx, size-capped)."""
        _check_url(url, url)
        self.requests += 1
        if self.requests > self.limits.max_requests:
            raise OParlError(
                f"Abgebrochen: mehr als {self.limits.max_requests} Abrufe (Abruflimit)."
            )
        attempt = 0
        while True:
            try:
                return self._get_once(url)
            except _Transient as error:
                if attempt >= self.limits.retries:
                    raise OParlError(
                        f"OParl-Server nicht erreichbar ({url}): {error.reason}"
                    ) from None
                time.sleep(self.limits.retry_pause * 2**attempt)
                attempt += 1

    def _get_once(self, url: str) -> dict[str, Any]:
        request = urllib.request.Request(url, headers={"Accept": "application/json"})
        cap = self.limits.max_bytes
        try:
            with self.open(request, self.limits.timeout) as response:
                length = response.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > cap:
                    raise _too_big(url, cap)
                body = _read_capped(response, cap + 1, time.monotonic() + self.limits.timeout)
        except urllib.error.HTTPError as error:
            error.close()  # its body is not read: release the connection
            if error.code >= 500 or error.code == 429:
                raise _Transient(f"HTTP {error.code}") from None
            raise OParlError(f"OParl-Server antwortet mit HTTP {error.code} auf {url}.") from None
        except urllib.error.URLError as error:
            raise _Transient(str(error.reason)) from None
        except (TimeoutError, ConnectionError) as error:
            raise _Transient(str(error) or type(error).__name__) from None
        if len(body) > cap:
            raise _too_big(url, cap)
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise OParlError(f"Ungültige Antwort von {url}: kein JSON.") from None
        if not isinstance(data, dict):
            raise OParlError(f"Ungültige Antwort von {url}: kein JSON-Objekt.")
        return data

    def get_object(self, url: str, kind: str) -> dict[str, Any]:
        """The object at the URL, checked to be an OParl 1.1 `kind`."""
        return check_object(self.get(url), kind, url)

    def list_items(self, url: str, kind: str) -> Iterator[dict[str, Any]]:
        """The checked objects of an OParl list, page by page over `links.next`."""
        seen: set[str] = set()
        next_url: Any = url
        while next_url:
            next_url = _check_url(next_url, "links.next")
            if next_url in seen:
                raise OParlError(f"Ungültige Liste: „links.next“ führt im Kreis ({next_url}).")
            seen.add(next_url)
            self.pages += 1
            if self.pages > self.limits.max_pages:
                raise OParlError(
                    f"Abgebrochen: mehr als {self.limits.max_pages} Listenseiten "
                    "(Seitenlimit, siehe --max-pages)."
                )
            page = self.get(next_url)
            items = page.get("data")
            if not isinstance(items, list):
                raise OParlError(f"Ungültige Liste von {next_url}: „data“ fehlt.")
            for item in items:
                yield check_object(item, kind, next_url)
            links = page.get("links") or {}
            if not isinstance(links, dict):
                raise OParlError(f"Ungültige Liste von {next_url}: „links“ ist kein Objekt.")
            next_url = links.get("next")


class _Transient(Exception):
    """A failure worth another attempt (network, timeout, 5xx)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _read_capped(response: Any, size: int, deadline: float) -> bytes:
    """At most `size` bytes of the answer, read within the deadline: the timeout bounds each
    read, the deadline a server that sends its answer a byte at a time."""
    chunks: list[bytes] = []
    left = size
    while left > 0:
        chunk = response.read(min(left, 65536))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
        if time.monotonic() > deadline:
            raise TimeoutError("Zeitlimit beim Lesen der Antwort überschritten")
    return b"".join(chunks)


def _too_big(url: str, cap: int) -> OParlError:
    return OParlError(f"Antwort von {url} ist größer als {cap // 1000} kB (Größenlimit).")


def check_object(data: Any, kind: str, source: str) -> dict[str, Any]:
    """The object if it is an OParl 1.1 `kind` with the schema's required fields, else refuse."""
    if not isinstance(data, dict):
        raise OParlError(f"Ungültige Antwort von {source}: {kind} ist kein JSON-Objekt.")
    if data.get("type") != f"{SCHEMA}{kind}":
        raise OParlError(
            f"Ungültige Antwort von {source}: Typ „{data.get('type')}“ statt {SCHEMA}{kind}."
        )
    if data.get("deleted") is True:  # a deleted object keeps only id, type and dates
        _check_url(data.get("id"), f"{kind}.id")
        return data
    missing = [name for name in REQUIRED.get(kind, ("id", "type")) if name not in data]
    if missing:
        raise OParlError(
            f"Ungültige Antwort von {source}: {kind} ohne Pflichtfeld {', '.join(missing)}."
        )
    _check_url(data["id"], f"{kind}.id")
    return data


def _text(data: dict[str, Any], name: str, kind: str) -> str:
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise OParlError(f"Ungültige Antwort: {kind}.{name} ist keine Zeichenkette ({data['id']}).")
    return value


def _date(data: dict[str, Any]) -> datetime.date | None:
    value = _text(data, "date", "Paper")
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        raise OParlError(f"Ungültige Antwort: Paper.date „{value}“ ist kein Datum.") from None


def _web_page(url: str) -> str:
    """The paper's web page if it is an http(s) address (it becomes a link on public pages:
    never a javascript: or data: URL), else nothing."""
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else ""


def parse_paper(data: dict[str, Any]) -> Paper:
    """A checked OParl Paper as a `Paper`."""
    main_file = data.get("mainFile") or {}
    consultations = data.get("consultation") or []
    if not isinstance(main_file, dict) or not isinstance(consultations, list):
        raise OParlError(f"Ungültige Antwort: Paper {data['id']} mit falschen Feldtypen.")
    parsed = []
    for item in consultations:
        if isinstance(item, str):  # a server may link instead of embedding: no agenda item
            continue
        consultation = check_object(item, "Consultation", data["id"])
        agenda_item = consultation.get("agendaItem") or ""
        parsed.append(
            Consultation(
                agenda_item=_check_url(agenda_item, "Consultation.agendaItem")
                if agenda_item
                else "",
                authoritative=consultation.get("authoritative") is True,
                role=_text(consultation, "role", "Consultation"),
            )
        )
    return Paper(
        id=data["id"],
        reference=_text(data, "reference", "Paper"),
        name=_text(data, "name", "Paper"),
        date=_date(data),
        paper_type=_text(data, "paperType", "Paper"),
        web=_web_page(_text(data, "web", "Paper")),
        text=_text(main_file, "text", "File") if main_file else "",
        consultations=tuple(parsed),
    )


def walk_papers(endpoint: str, client: Client) -> list[Paper]:
    """Every (not deleted) paper of every body of the OParl system at `endpoint`."""
    system = client.get_object(endpoint, "System")
    if system.get("oparlVersion") != SCHEMA:
        raise OParlError(
            f"Ungültige Antwort: OParl-Version „{system.get('oparlVersion')}“ statt 1.1."
        )
    papers: list[Paper] = []
    for body in list(client.list_items(_check_url(system["body"], "System.body"), "Body")):
        if body.get("deleted") is True:
            continue
        for item in client.list_items(_check_url(body["paper"], "Body.paper"), "Paper"):
            if item.get("deleted") is not True:
                papers.append(parse_paper(item))
    return papers


def decision_of(paper: Paper, client: Client) -> str:
    """The decision on the paper: result and resolution text of its deciding agenda item."""
    ordered = sorted(paper.consultations, key=lambda c: not c.authoritative)
    for consultation in ordered:
        if not consultation.agenda_item:
            continue
        item = client.get_object(consultation.agenda_item, "AgendaItem")
        result = _text(item, "result", "AgendaItem").strip()
        resolution = _text(item, "resolutionText", "AgendaItem").strip()
        if result or resolution:
            return "\n".join(part for part in (result, resolution) if part)
    return ""
