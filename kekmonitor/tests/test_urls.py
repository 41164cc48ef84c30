"""Tests of the project-wide URLs: the health check, the admin and the portal at the root."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_the_admin_login_is_the_staff_login_page(client):
    response = client.get("/admin/login/?next=/admin/plans/measure/")

    assert response.status_code == 302
    assert response["Location"] == "/anmelden/?next=/admin/plans/measure/"


@pytest.mark.django_db
def test_the_back_office_shows_the_german_site_header(admin_client):
    response = admin_client.get("/admin/")

    assert response.status_code == 200
    assert "KEK-Monitor – Verwaltung" in response.content.decode()


@pytest.mark.django_db
def test_the_root_url_is_the_portal_start_page(client, kek_plan):
    response = client.get("/")

    assert response.status_code == 200
    assert response.resolver_match.view_name == "portal:start"


@pytest.mark.django_db
def test_a_signed_in_user_without_the_right_gets_a_german_403_page(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("ohne-rolle"))
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="de">' in page
    assert "Zugriff verweigert" in page


@pytest.mark.django_db
def test_an_expired_form_gets_a_german_csrf_page(django_user_model):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/anmelden/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="de">' in page
    assert "Das Formular ist abgelaufen" in page


def test_favicon_ico_leads_to_the_portals_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith(".svg")
