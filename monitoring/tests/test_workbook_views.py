"""The Arbeitsmappe in the staff area: download, upload, preview, apply – with permissions."""

from __future__ import annotations

from typing import Any

import pytest

from monitoring.models import StatusReport
from monitoring.tests.factories import World
from monitoring.tests.workbook_helpers import fill, sheet_rows

pytestmark = pytest.mark.django_db

DOWNLOAD = "/intern/arbeitsmappe/herunterladen/"
UPLOAD = "/intern/arbeitsmappe/hochladen/"
APPLY = "/intern/arbeitsmappe/uebernehmen/"


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.VAR_DIR = tmp_path


def _file(data: bytes, name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_office_editor_downloads_its_workbook(staff_client: Any, world: World) -> None:
    client = staff_client("editor_of_lead_office")
    page = client.get("/intern/massnahmen/")
    assert world.reporting_round is not None
    assert f'href="{DOWNLOAD}?runde={world.reporting_round.pk}"' in page.content.decode()
    assert "Ausgefüllte Arbeitsmappe hochladen" in page.content.decode()
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="arbeitsmappe-monitoring-2026-afs.xlsx"'
    )
    assert "no-store" in response["Cache-Control"]
    assert [r["number"] for r in sheet_rows(response.content)] == ["1-1"]
    # The office cannot ask for another office's workbook.
    other = client.get(DOWNLOAD, {"amt": world.slr.pk})
    assert [r["lead"] for r in sheet_rows(other.content)] == ["AfS"]


def test_coordination_chooses_the_office(staff_client: Any, world: World) -> None:
    client = staff_client("coordination")
    page = client.get("/intern/massnahmen/").content.decode()
    assert 'name="amt"' in page and f'value="{world.slr.pk}"' in page
    response = client.get(DOWNLOAD, {"amt": world.slr.pk})
    assert [r["number"] for r in sheet_rows(response.content)] == ["1-2"]
    assert client.get(DOWNLOAD).status_code == 404


@pytest.mark.parametrize("persona", ["participant", "reader", "editor_of_other_office"])
def test_who_may_not_download_another_offices_or_any_workbook(
    staff_client: Any, world: World, persona: str
) -> None:
    response = staff_client(persona).get(DOWNLOAD)
    if persona == "editor_of_other_office":
        assert [r["lead"] for r in sheet_rows(response.content)] == ["SLR"]
    else:
        assert response.status_code == 403
        assert staff_client(persona).get(UPLOAD).status_code == 403


def test_anonymous_is_sent_to_login(staff_client: Any, world: World) -> None:
    response = staff_client("anonymous").get(DOWNLOAD)
    assert response.status_code == 302 and response["Location"].startswith("/anmelden/")


def test_upload_preview_apply(staff_client: Any, world: World) -> None:
    client = staff_client("editor_of_lead_office")
    data = fill(client.get(DOWNLOAD).content, {"1-1": {"summary": "Aus Excel", "progress": 30}})
    form = client.get(UPLOAD)
    assert form.status_code == 200 and 'type="file"' in form.content.decode()
    preview = client.post(UPLOAD, {"datei": _file(data, "afs.xlsx")})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "1 Berichte ändern sich, 0 Zeilen stehen im Konflikt" in html
    assert "Aus Excel" in html and "Sachstand" in html
    assert not StatusReport.objects.exists()
    token = html.split('name="token" value="')[1].split('"')[0]
    response = client.post(APPLY, {"token": token})
    assert response.status_code == 302
    report = StatusReport.objects.get()
    assert (report.summary, report.progress, report.state) == ("Aus Excel", 30, "draft")
    # The token is used up: a second confirmation changes nothing.
    again = client.post(APPLY, {"token": token})
    assert again.status_code == 409
    assert StatusReport.objects.get().version == report.version


def test_hostile_upload_is_refused_with_a_german_message(staff_client: Any, world: World) -> None:
    client = staff_client("editor_of_lead_office")
    response = client.post(UPLOAD, {"datei": _file(b"MZ\x90\x00", "virus.xlsx")})
    assert response.status_code == 400
    assert "Die Datei ist keine Excel-Arbeitsmappe (XLSX)." in response.content.decode()
    assert not StatusReport.objects.exists()


def test_preview_with_errors_offers_no_apply(staff_client: Any, world: World) -> None:
    client = staff_client("editor_of_lead_office")
    data = fill(client.get(DOWNLOAD).content, {"1-1": {"progress": 101}})
    response = client.post(UPLOAD, {"datei": _file(data, "afs.xlsx")})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Zeile 2, Spalte „Fortschritt (%)“" in html
    assert 'name="token"' not in html


def test_other_office_workbook_is_refused(staff_client: Any, world: World) -> None:
    slr = staff_client("editor_of_other_office").get(DOWNLOAD).content
    response = staff_client("editor_of_lead_office").post(UPLOAD, {"datei": _file(slr, "s.xlsx")})
    assert response.status_code == 400
    assert "anderen Amt (SLR)" in response.content.decode()


def test_conflict_shown_in_preview_and_not_overwritten(staff_client: Any, world: World) -> None:
    from monitoring import services

    report = world.report(StatusReport.State.DRAFT)
    client = staff_client("editor_of_lead_office")
    data = fill(client.get(DOWNLOAD).content, {"1-1": {"summary": "Excel"}})
    services.save_report(world.coordination, report, {"summary": "Web"}, report.version)
    html = client.post(UPLOAD, {"datei": _file(data, "afs.xlsx")}).content.decode()
    assert "Konflikte (werden nicht übernommen)" in html
    assert "Zeile 2, Maßnahme 1-1" in html
    assert 'name="token"' not in html
    report.refresh_from_db()
    assert report.summary == "Web"


def test_apply_without_pending_upload(staff_client: Any, world: World) -> None:
    response = staff_client("editor_of_lead_office").post(APPLY, {"token": "x"})
    assert response.status_code == 409
    assert "erneut hoch" in response.content.decode()


def test_a_stale_unconfirmed_upload_is_removed(
    staff_client: Any, world: World, tmp_path: Any
) -> None:
    import os

    stale = tmp_path / "workbook-uploads" / "alt.xlsx"
    stale.parent.mkdir()
    stale.write_bytes(b"x")
    os.utime(stale, (0, 0))
    client = staff_client("editor_of_lead_office")
    data = fill(client.get(DOWNLOAD).content, {"1-1": {"summary": "neu"}})
    assert client.post(UPLOAD, {"datei": _file(data, "afs.xlsx")}).status_code == 200
    assert not stale.exists()
    assert len(list(stale.parent.glob("*.xlsx"))) == 1
