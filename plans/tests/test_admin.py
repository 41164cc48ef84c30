"""Smoke tests of the back office: every catalogue list and change page opens."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plans.models import Measure, Placement, Plan
from plans.services import import_parsed_plan
from plans.tests.parsed_plans import small_plan

pytestmark = pytest.mark.django_db

MODELS = ["plan", "node", "organisation", "keyproject", "measure", "placement"]


@pytest.fixture(autouse=True)
def static_files(tmp_path, settings) -> None:
    """Serve static files without collectstatic (no manifest, no WhiteNoise warning)."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def stored_plan() -> Plan:
    import_parsed_plan(small_plan(), apply=False)
    return Plan.objects.get()


@pytest.mark.parametrize("model", MODELS)
def test_the_list_page_opens_for_a_superuser(admin_client, model):
    response = admin_client.get(reverse(f"admin:plans_{model}_changelist"))

    assert response.status_code == 200


@pytest.mark.parametrize(
    "query", ["?building_block=yes", "?field_number=2", "?q=1-2", "?priority=%2B%2B%2B"]
)
def test_placement_filters_and_search_work(admin_client, query):
    response = admin_client.get(reverse("admin:plans_placement_changelist") + query)

    assert response.status_code == 200


def test_the_measure_list_filters_interlinked_measures(admin_client):
    response = admin_client.get(reverse("admin:plans_measure_changelist") + "?interlinked=yes")

    assert response.status_code == 200
    assert list(response.context["cl"].queryset.values_list("number", flat=True)) == ["1-2"]


def test_the_measure_page_shows_its_placements(admin_client):
    measure = Measure.objects.get(number="1-2")

    response = admin_client.get(reverse("admin:plans_measure_change", args=[measure.pk]))

    assert response.status_code == 200
    assert "Einordnungen" in response.content.decode()


def test_the_placement_page_shows_its_steps(admin_client):
    row = Placement.objects.get(order=1)

    response = admin_client.get(reverse("admin:plans_placement_change", args=[row.pk]))

    assert response.status_code == 200
    assert "Unterpunkt a" in response.content.decode()


def test_an_edit_in_the_back_office_counts_as_a_change_of_the_plan(admin_client, stored_plan):
    measure = Measure.objects.get(number="1-2")
    before = Plan.objects.get().revision
    url = reverse("admin:plans_measure_change", args=[measure.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"plan": stored_plan.pk, "title": "Neuer Titel", "commission": ""}
    data |= {
        "placements-TOTAL_FORMS": "0",
        "placements-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, data)

    assert response.status_code == 302, (
        getattr(response, "context", None) and response.context["adminform"].form.errors
    )
    assert Measure.objects.get(number="1-2").title == "Neuer Titel"
    assert Plan.objects.get().revision == before + 1
