"""A local OParl 1.1 server for the tests: http.server in a thread on a free port of 127.0.0.1.

The objects are written from the fields of the OParl 1.1 schema (github.com/OParl/spec,
schema/*.json): System, Body (with its required lists and an embedded LegislativeTerm), Paper
(with `reference`, an embedded main File and embedded Consultations), AgendaItem and Meeting;
lists are paginated with `data`, `pagination` and `links`. Tests change `routes` to make the
server answer badly.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SCHEMA = "https://schema.oparl.org/1.1/"
STREAMED = ";streamed"  # a content type ending so is sent without Content-Length

# path → (status, content type, body) or a function of the path giving that triple
Answer = tuple[int, str, bytes]
Route = Answer | Callable[[str], Answer]


def as_json(data: Any, status: int = 200) -> Answer:
    return status, "application/json; charset=utf-8", json.dumps(data).encode()


@dataclass
class OParlServer:
    """The running server: its base URL, the routes it answers and the paths requested."""

    base: str
    routes: dict[str, Route] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)

    @property
    def endpoint(self) -> str:
        """The URL of the System object."""
        return f"{self.base}/oparl/v1/system"

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def oparl_list(
    server: OParlServer, items: list[dict[str, Any]], *, page: int, pages: int, path: str
) -> dict[str, Any]:
    """One page of an OParl list (`data`, `pagination`, `links`)."""
    links = {"first": server.url(f"{path}?page=1"), "last": server.url(f"{path}?page={pages}")}
    if page > 1:
        links["prev"] = server.url(f"{path}?page={page - 1}")
    if page < pages:
        links["next"] = server.url(f"{path}?page={page + 1}")
    return {
        "data": items,
        "pagination": {
            "totalElements": len(items) * pages,
            "elementsPerPage": len(items),
            "currentPage": page,
            "totalPages": pages,
        },
        "links": links,
    }


def kreistag_routes(server: OParlServer) -> dict[str, Route]:
    """A Kreistag with four papers on two list pages (one deleted, one without a match)."""
    u = server.url
    body_id = u("/oparl/v1/body/1")
    system = {
        "id": server.endpoint,
        "type": f"{SCHEMA}System",
        "oparlVersion": SCHEMA,
        "name": "Ratsinformationssystem Landkreis Leipzig",
        "body": u("/oparl/v1/bodies"),
        "website": "https://ris.example.org/",
        "created": "2020-01-01T00:00:00+01:00",
        "modified": "2026-11-30T12:00:00+01:00",
    }
    body = {
        "id": body_id,
        "type": f"{SCHEMA}Body",
        "system": server.endpoint,
        "shortName": "Kreistag",
        "name": "Kreistag des Landkreises Leipzig",
        "ags": "14729000",
        "organization": u("/oparl/v1/body/1/organizations"),
        "person": u("/oparl/v1/body/1/people"),
        "meeting": u("/oparl/v1/body/1/meetings"),
        "paper": u("/oparl/v1/body/1/papers"),
        "legislativeTerm": [
            {
                "id": u("/oparl/v1/legislativeterm/8"),
                "type": f"{SCHEMA}LegislativeTerm",
                "body": body_id,
                "name": "8. Wahlperiode",
                "startDate": "2024-06-09",
                "endDate": "2029-06-08",
            }
        ],
        "agendaItem": u("/oparl/v1/body/1/agendaItems"),
        "consultation": u("/oparl/v1/body/1/consultations"),
        "file": u("/oparl/v1/body/1/files"),
        "created": "2020-01-01T00:00:00+01:00",
        "modified": "2026-11-30T12:00:00+01:00",
    }
    meeting = {
        "id": u("/oparl/v1/meeting/3"),
        "type": f"{SCHEMA}Meeting",
        "name": "14. Sitzung des Kreistages",
        "meetingState": "durchgeführt",
        "cancelled": False,
        "start": "2026-03-11T16:00:00+01:00",
        "end": "2026-03-11T19:30:00+01:00",
        "organization": [u("/oparl/v1/organization/1")],
        "agendaItem": [],  # filled below
    }
    agenda_item = {
        "id": u("/oparl/v1/agendaitem/7"),
        "type": f"{SCHEMA}AgendaItem",
        "meeting": meeting["id"],
        "number": "7",
        "order": 7,
        "name": "Fortschreibung Standortmarketing",
        "public": True,
        "consultation": u("/oparl/v1/consultation/21"),
        "result": "einstimmig beschlossen",
        "resolutionText": "Der Kreistag beschließt die Fortschreibung des Standortmarketings.",
        "start": "2026-03-11T17:05:00+01:00",
    }
    meeting["agendaItem"] = [agenda_item]

    def paper(number: int, **fields: Any) -> dict[str, Any]:
        return {
            "id": u(f"/oparl/v1/paper/{number}"),
            "type": f"{SCHEMA}Paper",
            "body": body_id,
            "web": f"https://ris.example.org/vorlage/{number}",
            "created": "2026-02-01T09:00:00+01:00",
            "modified": "2026-03-12T09:00:00+01:00",
            **fields,
        }

    marketing = paper(
        101,
        name="Fortschreibung Standortmarketing (Maßnahme 1-2)",
        reference="2026/017",
        date="2026-02-20",
        paperType="Beschlussvorlage",
        mainFile={
            "id": u("/oparl/v1/file/501"),
            "type": f"{SCHEMA}File",
            "name": "Vorlage 2026/017",
            "fileName": "2026-017.pdf",
            "mimeType": "application/pdf",
            "accessUrl": u("/files/2026-017.pdf"),
            "text": "Umsetzung des Kreisentwicklungskonzeptes, Maßnahme 1-2; vgl. 12-05-2025.",
        },
        consultation=[
            {
                "id": u("/oparl/v1/consultation/20"),
                "type": f"{SCHEMA}Consultation",
                "paper": u("/oparl/v1/paper/101"),
                "meeting": u("/oparl/v1/meeting/2"),
                "authoritative": False,
                "role": "Vorberatung",
            },
            {
                "id": u("/oparl/v1/consultation/21"),
                "type": f"{SCHEMA}Consultation",
                "paper": u("/oparl/v1/paper/101"),
                "agendaItem": agenda_item["id"],
                "meeting": meeting["id"],
                "organization": [u("/oparl/v1/organization/1")],
                "authoritative": True,
                "role": "Entscheidung",
            },
        ],
    )
    budget = paper(
        102,
        name="Haushaltssatzung 2026",
        reference="2026/001",
        date="2026-01-15",
        paperType="Beschlussvorlage",
    )
    report = paper(
        103,
        name="Bericht zur Umsetzung des KEK 2030",
        reference="2026/044",
        date="2026-06-03",
        paperType="Informationsvorlage",
    )
    deleted = {
        "id": u("/oparl/v1/paper/104"),
        "type": f"{SCHEMA}Paper",
        "created": "2026-01-01T00:00:00+01:00",
        "modified": "2026-04-01T00:00:00+01:00",
        "deleted": True,
    }

    def papers(path: str) -> Answer:
        page = 2 if path.endswith("page=2") else 1
        items = [marketing, budget] if page == 1 else [report, deleted]
        return as_json(
            oparl_list(server, items, page=page, pages=2, path="/oparl/v1/body/1/papers")
        )

    return {
        "/oparl/v1/system": as_json(system),
        "/oparl/v1/bodies": as_json(
            oparl_list(server, [body], page=1, pages=1, path="/oparl/v1/bodies")
        ),
        "/oparl/v1/body/1/papers": papers,
        "/oparl/v1/body/1/papers?page=1": papers,
        "/oparl/v1/body/1/papers?page=2": papers,
        "/oparl/v1/agendaitem/7": as_json(agenda_item),
        "/oparl/v1/meeting/3": as_json(meeting),
    }


@contextmanager
def running_server() -> Iterator[OParlServer]:
    """Start the server on a free port of 127.0.0.1 and stop it afterwards."""
    server_box: dict[str, OParlServer] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server = server_box["server"]
            server.requested.append(self.path)
            route = server.routes.get(self.path)
            if route is None:
                status, kind, body = 404, "application/json", b'{"error": "not found"}'
            else:
                status, kind, body = route(self.path) if callable(route) else route
            self.send_response(status)
            self.send_header("Content-Type", kind)
            if kind.endswith(STREAMED):  # no Content-Length: the client reads until closed
                kind = kind.removesuffix(STREAMED)
            else:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            pass  # a client hanging up on a huge answer is what some tests want

    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    server = OParlServer(base=f"http://127.0.0.1:{httpd.server_address[1]}")
    server_box["server"] = server
    server.routes = kreistag_routes(server)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
