"""The staff pages of the registers: every view × persona, and a round trip through the forms."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.models import Register, RegisterEntry
from indicators.services import save_entry
from indicators.tests.register_data import BORNA, GRIMMA, data, grimma_row, point, register_file

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "reader", "other_office", "grimma_editor", "va_editor", "coordination"]


def login(client, people: dict[str, Any], persona: str) -> None:
    if persona != "anonymous":
        client.force_login(people[persona])


def form(ags: str, designation: str, quantity: str, version: int | str = "") -> dict[str, Any]:
    latitude, longitude = point(ags)
    return {
        "gemeinde": ags,
        "designation": designation,
        "quantity": quantity,
        "status": "available",
        "available_from": "2027-01-01",
        "owner_type": "municipal",
        "latitude": str(latitude),
        "longitude": str(longitude),
        "version": version,
    }


# view → personas that get 200 (GET) or a redirect after a successful POST
READ_ALL = {"reader", "other_office", "grimma_editor", "va_editor", "coordination"}
MAINTAIN_GRIMMA = {"grimma_editor", "va_editor", "coordination"}
MAINTAIN_BORNA = {"va_editor", "coordination"}


def _cases(people: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any] | None, set[str]]]:
    register = Register.objects.get(slug="gewerbeflaechen")
    grimma = save_entry(people["coordination"], register, data(GRIMMA, "Nord"))
    borna = save_entry(people["coordination"], register, data(BORNA, "Werk"))
    base = "/intern/kataster/gewerbeflaechen/"
    return {
        "list": ("GET", "/intern/kataster/", None, READ_ALL),
        "register": ("GET", base, None, READ_ALL),
        "new_form": ("GET", f"{base}neu/", None, MAINTAIN_GRIMMA),
        "edit_grimma_form": ("GET", f"{base}{grimma.pk}/", None, MAINTAIN_GRIMMA),
        "edit_borna_form": ("GET", f"{base}{borna.pk}/", None, MAINTAIN_BORNA),
        "add_grimma": ("POST", f"{base}neu/", form(GRIMMA, "Neu", "2"), MAINTAIN_GRIMMA),
        "change_borna": ("POST", f"{base}{borna.pk}/", form(BORNA, "Werk", "9", 1), MAINTAIN_BORNA),
        "delete_grimma": ("POST", f"{base}{grimma.pk}/loeschen/", {}, MAINTAIN_GRIMMA),
    }


CASES = [
    "list",
    "register",
    "new_form",
    "edit_grimma_form",
    "edit_borna_form",
    "add_grimma",
    "change_borna",
    "delete_grimma",
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES)
def test_register_staff_views_by_persona(client, people, case, persona):
    method, url, payload, allowed = _cases(people)[case]
    login(client, people, persona)
    before = list(RegisterEntry.objects.order_by("pk").values_list("designation", "quantity"))

    response = client.get(url) if method == "GET" else client.post(url, payload)

    after = list(RegisterEntry.objects.order_by("pk").values_list("designation", "quantity"))
    if persona == "anonymous":
        assert response.status_code == 302 and "/anmelden/" in response["Location"]
    elif persona in allowed:
        assert response.status_code == (200 if method == "GET" else 302)
        assert (after != before) == (method == "POST")
    else:
        assert response.status_code == 403
    if persona not in allowed:
        assert after == before
    assert "no-store" in response.get("Cache-Control", "") or persona == "anonymous"


def test_a_gemeinde_editor_sees_and_may_choose_only_its_own_gemeinde(client, people):
    _cases(people)
    client.force_login(people["grimma_editor"])

    listing = client.get("/intern/kataster/gewerbeflaechen/").content.decode()
    new = client.get("/intern/kataster/gewerbeflaechen/neu/").content.decode()

    assert "Nord" in listing and "Werk" not in listing
    assert f'<option value="{GRIMMA}"' in new and f'value="{BORNA}"' not in new


def test_a_file_is_previewed_then_imported_in_the_staff_area(client, people):
    client.force_login(people["grimma_editor"])
    upload = register_file(grimma_row("Am Bahnhof"))
    url = "/intern/kataster/gewerbeflaechen/import/"
    preview = client.post(url, {"file": SimpleUploadedFile("g.csv", upload, "text/csv")})
    assert preview.status_code == 200
    assert "1 neu, 0 geändert, 0 unverändert." in preview.content.decode()
    assert not RegisterEntry.objects.exists()

    applied = client.post(url, {"apply": "1"})

    assert applied.status_code == 302
    assert RegisterEntry.objects.get().designation == "Am Bahnhof"
