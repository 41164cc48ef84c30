"""/intern/werte/: a Gemeinde editor gives values of its own Gemeinde only, with a preview."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.models import IndicatorValue
from indicators.tests.register_data import BORNA, GRIMMA

pytestmark = pytest.mark.django_db
URL = "/intern/werte/"


def upload(client, text: str):
    return client.post(URL, {"file": SimpleUploadedFile("w.csv", text.encode(), "text/csv")})


def test_a_gemeinde_editor_previews_then_imports_values_of_its_gemeinde(client, people):
    client.force_login(people["grimma_editor"])

    preview = upload(client, f"indicator,ags,year,value\nbevoelkerung,{GRIMMA},2024,28500\n")
    assert preview.status_code == 200
    assert "1 neu, 0 geändert, 0 unverändert." in preview.content.decode()
    assert not IndicatorValue.objects.filter(year=2024).exists()

    applied = client.post(URL, {"apply": "1"})

    assert applied.status_code == 302
    value = IndicatorValue.objects.current().get(ags=GRIMMA, year=2024)
    assert value.value == Decimal(28500)
    assert value.recorded_by == people["grimma_editor"]


@pytest.mark.parametrize(
    ("ags", "indicator", "message"),
    [
        (BORNA, "bevoelkerung", f"Sie dürfen keine Werte für {BORNA} angeben."),
        ("14729", "bevoelkerung", "Sie dürfen keine Werte für 14729 angeben."),
        (GRIMMA, "kataster-gewerbeflaechen", "wird aus seinem Kataster berechnet"),
    ],
)
def test_values_of_another_area_or_of_a_register_are_refused(
    client, people, ags, indicator, message
):
    client.force_login(people["grimma_editor"])

    response = upload(client, f"indicator,ags,year,value\n{indicator},{ags},2024,1\n")

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not IndicatorValue.objects.filter(year=2024).exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("reader", 403), ("va_editor", 403), ("coordination", 200)],
)
def test_who_may_upload_values(client, people, persona, status):
    if persona != "anonymous":
        client.force_login(people[persona])

    response = upload(client, f"indicator,ags,year,value\nbevoelkerung,{BORNA},2024,1\n")

    assert response.status_code == status
    imported_preview = persona == "coordination"
    assert ("1 neu" in response.content.decode()) == imported_preview
