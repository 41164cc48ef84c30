"""`kek oparl sync` against a local OParl 1.1 server started by the test (no network)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from council import oparl
from council.models import CouncilPaper, LinkProposal
from council.tests.oparl_server import STREAMED, as_json, oparl_list, running_server
from monitoring.tests.factories import build_world


@pytest.fixture
def server() -> Any:
    with running_server() as running:
        yield running


@pytest.fixture
def world(db: Any) -> Any:
    return build_world()


def sync(server: Any, *extra: str) -> str:
    out = io.StringIO()
    call_command(
        "oparl", "sync", "--endpoint", server.endpoint, "--plan", "kek-test", *extra, stdout=out
    )
    return out.getvalue()


def refused(server: Any, *extra: str) -> str:
    with pytest.raises(CommandError) as caught:
        sync(server, "--apply", *extra)
    message = str(caught.value)
    assert "\n" not in message and message.endswith("Nichts gespeichert.")
    assert not CouncilPaper.objects.exists() and not LinkProposal.objects.exists()
    return message


def test_preview_lists_the_papers_naming_a_measure_or_the_kek_and_writes_nothing(server, world):
    output = sync(server)
    assert "3 Drucksachen gelesen (3 Listenseiten), 2 mit Bezug" in output
    assert "2026/017  20.02.2026  Fortschreibung Standortmarketing (Maßnahme 1-2)" in output
    assert "→ 1-2, KEK  (einstimmig beschlossen)" in output
    assert "2026/044  03.06.2026  Bericht zur Umsetzung des KEK 2030" in output
    assert "Haushaltssatzung" not in output
    assert "Vorschau – nichts gespeichert" in output
    assert not CouncilPaper.objects.exists() and not LinkProposal.objects.exists()
    # the list was followed over links.next, and only the deciding agenda item was fetched
    assert "/oparl/v1/body/1/papers?page=2" in server.requested
    assert "/oparl/v1/agendaitem/7" in server.requested


def test_apply_stores_the_matched_papers_and_open_proposals(server, world):
    output = sync(server, "--apply")
    assert "Gespeichert: 2 neue, 0 geänderte Drucksachen, 3 neue Vorschläge" in output
    paper = CouncilPaper.objects.get(reference="2026/017")
    assert paper.plan == world.plan
    assert paper.oparl_id == server.url("/oparl/v1/paper/101")
    assert paper.name == "Fortschreibung Standortmarketing (Maßnahme 1-2)"
    assert str(paper.date) == "2026-02-20" and paper.paper_type == "Beschlussvorlage"
    assert paper.decision == (
        "einstimmig beschlossen\nDer Kreistag beschließt die Fortschreibung des Standortmarketings."
    )
    assert paper.web_url == "https://ris.example.org/vorlage/101"
    proposals = {
        (p.paper.reference, p.measure.number if p.measure else None, p.reason, p.state)
        for p in LinkProposal.objects.select_related("paper", "measure")
    }
    assert proposals == {
        ("2026/017", "1-2", "1-2", "open"),
        ("2026/017", None, "KEK", "open"),
        ("2026/044", None, "KEK", "open"),
    }
    assert not paper.links.exists()  # nothing is linked before the coordination confirms


def test_a_second_sync_changes_nothing_and_proposes_nothing_again(server, world):
    sync(server, "--apply")
    LinkProposal.objects.filter(measure__isnull=True).update(state=LinkProposal.State.REJECTED)
    before = list(CouncilPaper.objects.values().order_by("pk"))
    output = sync(server, "--apply")
    assert "Gespeichert: 0 neue, 0 geänderte Drucksachen, 0 neue Vorschläge" in output
    after = list(CouncilPaper.objects.values().order_by("pk"))
    assert [{**p, "synced_at": None} for p in after] == [{**p, "synced_at": None} for p in before]
    assert LinkProposal.objects.count() == 3
    assert LinkProposal.objects.filter(state="rejected").count() == 2  # stays rejected


def test_a_changed_decision_updates_the_stored_paper(server, world):
    sync(server, "--apply")
    item = json.loads(server.routes["/oparl/v1/agendaitem/7"][2])
    item["result"] = "mit Änderungen beschlossen"
    server.routes["/oparl/v1/agendaitem/7"] = as_json(item)
    assert "0 neue, 1 geänderte Drucksachen, 0 neue Vorschläge" in sync(server, "--apply")
    assert CouncilPaper.objects.get(reference="2026/017").decision.startswith(
        "mit Änderungen beschlossen\n"
    )


# --- hostile and invalid answers: one German line, nothing written ---------------------------


def test_a_wrong_type_is_refused(server, world):
    system = json.loads(server.routes["/oparl/v1/system"][2])
    system["type"] = "https://schema.oparl.org/1.0/System"
    server.routes["/oparl/v1/system"] = as_json(system)
    assert "Typ „https://schema.oparl.org/1.0/System“ statt" in refused(server)


def test_a_paper_of_the_wrong_type_in_a_list_is_refused_even_after_good_pages(server, world):
    page = oparl_list(
        server,
        [{"id": server.url("/x"), "type": "https://schema.oparl.org/1.1/Meeting"}],
        page=2,
        pages=2,
        path="/oparl/v1/body/1/papers",
    )
    server.routes["/oparl/v1/body/1/papers?page=2"] = as_json(page)
    assert "statt https://schema.oparl.org/1.1/Paper" in refused(server)


def test_a_body_without_its_required_paper_list_is_refused(server, world):
    bodies = json.loads(server.routes["/oparl/v1/bodies"][2])
    del bodies["data"][0]["paper"]
    server.routes["/oparl/v1/bodies"] = as_json(bodies)
    assert "Body ohne Pflichtfeld paper" in refused(server)


def test_endless_paging_stops_at_the_page_limit(server, world):
    def endless(path: str) -> tuple[int, str, bytes]:
        page = int(path.rsplit("=", 1)[1]) if "=" in path else 1
        data = oparl_list(server, [], page=page, pages=page + 1, path="/oparl/v1/body/1/papers")
        server.routes[f"/oparl/v1/body/1/papers?page={page + 1}"] = endless
        return as_json(data)

    server.routes["/oparl/v1/body/1/papers"] = endless
    assert "mehr als 5 Listenseiten" in refused(server, "--max-pages", "5")
    assert len([p for p in server.requested if "/papers" in p]) == 4  # + the body list = 5


def test_a_next_link_back_to_an_earlier_page_is_refused(server, world):
    page = oparl_list(server, [], page=2, pages=2, path="/oparl/v1/body/1/papers")
    page["links"]["next"] = server.url("/oparl/v1/body/1/papers?page=1")
    server.routes["/oparl/v1/body/1/papers?page=2"] = as_json(page)
    server.routes["/oparl/v1/body/1/papers"] = server.routes["/oparl/v1/body/1/papers?page=1"]
    first = oparl_list(server, [], page=1, pages=2, path="/oparl/v1/body/1/papers")
    server.routes["/oparl/v1/body/1/papers"] = as_json(first)
    server.routes["/oparl/v1/body/1/papers?page=1"] = as_json(first)
    assert "führt im Kreis" in refused(server)


def test_a_next_link_to_a_local_file_is_refused(server, world):
    page = oparl_list(server, [], page=1, pages=1, path="/oparl/v1/body/1/papers")
    page["links"]["next"] = "file:///etc/passwd"
    server.routes["/oparl/v1/body/1/papers"] = as_json(page)
    assert "links.next ist keine http(s)-Adresse" in refused(server)


def test_a_huge_answer_is_refused_by_its_declared_length(server, world):
    server.routes["/oparl/v1/bodies"] = (200, "application/json", b" " * 5_000_001 + b"{}")
    assert "größer als 5000 kB" in refused(server)


def test_a_huge_answer_without_declared_length_is_cut_off(server, world):
    body = b'{"data": [], "x": "' + b"a" * 5_000_000 + b'"}'
    server.routes["/oparl/v1/bodies"] = (200, "application/json" + STREAMED, body)
    assert "größer als 5000 kB" in refused(server)


def test_an_answer_that_is_not_json_is_refused(server, world):
    server.routes["/oparl/v1/system"] = (200, "text/html", b"<html><body>Wartung</body></html>")
    assert "kein JSON" in refused(server)


def test_a_client_error_is_refused_without_retrying(server, world):
    del server.routes["/oparl/v1/bodies"]
    assert "HTTP 404" in refused(server)
    assert server.requested.count("/oparl/v1/bodies") == 1


def test_an_unknown_plan_is_one_german_line(server, world):
    with pytest.raises(CommandError, match="Plan „gibt-es-nicht“ fehlt"):
        call_command("oparl", "sync", "--endpoint", server.endpoint, "--plan", "gibt-es-nicht")


# --- the client's network behaviour ------------------------------------------------------------


def test_a_server_error_is_retried_and_then_answered(server):
    answers = [(503, "text/plain", b"busy"), server.routes["/oparl/v1/system"]]
    server.routes["/oparl/v1/system"] = lambda path: answers.pop(0)
    client = oparl.Client(oparl.Limits(retries=2, retry_pause=0))
    assert client.get_object(server.endpoint, "System")["oparlVersion"] == oparl.SCHEMA
    assert server.requested.count("/oparl/v1/system") == 2


def test_an_unreachable_server_is_given_up_after_the_retries(server):
    client = oparl.Client(oparl.Limits(retries=1, retry_pause=0, timeout=2))
    with pytest.raises(oparl.OParlError, match="OParl-Server nicht erreichbar"):
        client.get("http://127.0.0.1:9/oparl")  # the discard port: nobody listens


def test_kek_prints_a_refusal_as_one_german_line_with_exit_code_1(
    server, world, capsys, monkeypatch
):
    from django.db import connections

    from kekmonitor.cli import main

    # Django closes every connection after a command run from the command line; the test's
    # transaction (PostgreSQL) must outlive it.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    server.routes["/oparl/v1/system"] = (200, "text/html", b"<html>Wartung</html>")
    code = main(["oparl", "sync", "--endpoint", server.endpoint, "--plan", "kek-test", "--apply"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err == (
        f"kek oparl: Ungültige Antwort von {server.endpoint}: kein JSON. Nichts gespeichert.\n"
    )
    assert not CouncilPaper.objects.exists()


def test_a_web_page_that_is_no_http_address_is_not_stored(server, world):
    def hostile(path: str) -> tuple[int, str, bytes]:
        body = papers(path)[2]
        page = json.loads(body)
        for item in page["data"]:
            if "web" in item:
                item["web"] = "javascript:alert(document.cookie)"
        return as_json(page)

    papers = server.routes["/oparl/v1/body/1/papers"]
    for path in ("", "?page=1", "?page=2"):
        server.routes[f"/oparl/v1/body/1/papers{path}"] = hostile
    sync(server, "--apply")
    assert set(CouncilPaper.objects.values_list("web_url", flat=True)) == {""}


def test_the_client_stops_at_its_request_limit(server):
    client = oparl.Client(oparl.Limits(max_requests=3))
    with pytest.raises(oparl.OParlError, match="mehr als 3 Abrufe"):
        oparl.walk_papers(server.endpoint, client)
    assert len(server.requested) == 3
