"""The portal's pages without a browser: content, German text, error pages, partials."""

from __future__ import annotations

import re

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


def test_start_page_shows_the_plan_title_in_german(client, kek_plan):
    response = client.get(reverse("portal:start"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "Kreisentwicklungskonzept KEK 2030" in html
    assert h1_count(html) == 1


def test_every_page_has_the_frame_skip_link_nav_search_and_footer(client):
    html = client.get("/").content.decode()

    assert '<a class="portal-skip-link" href="#inhalt">Zum Inhalt springen</a>' in html
    assert 'id="inhalt"' in html
    for label, href in [
        ("Start", "/"),
        ("Maßnahmen", "/massnahmen/"),
        ("Organisationen", "/organisationen/"),
        ("Schlüsselvorhaben", "/schluesselvorhaben/"),
        ("Verflechtungen", "/verflechtungen/"),
        ("Offene Daten", "/daten/"),
        ("Barrierefreiheit", "/barrierefreiheit/"),
    ]:
        assert f'href="{href}"' in html, label
        assert label in html
    assert 'action="/suche/"' in html
    assert "Landkreis Leipzig" in html


def test_main_navigation_marks_the_current_section(client):
    html = client.get("/").content.decode()

    assert re.search(r'href="/"\s+aria-current="page">Start<', html)
    assert 'href="/massnahmen/" aria-current' not in html


def test_templates_contain_no_inline_scripts_or_styles(client):
    for path in ["/", "/barrierefreiheit/", "/gibt-es-nicht/"]:
        html = client.get(path).content.decode()

        assert "<style" not in html
        assert " style=" not in html
        assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", html) == [], path


def test_accessibility_statement_names_the_tests_and_the_contact(client, settings):
    settings.KEK_CONTACT_EMAIL = "barrierefreiheit@landkreis.example"

    response = client.get(reverse("portal:accessibility"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Erklärung zur Barrierefreiheit" in html
    assert "axe-core" in html
    assert "WCAG 2.1" in html
    assert "Bekannte Einschränkungen" in html
    assert 'href="mailto:barrierefreiheit@landkreis.example"' in html
    assert h1_count(html) == 1


def test_contact_email_defaults_to_a_placeholder_address(settings):
    from kekmonitor import settings as project_settings

    assert project_settings.KEK_CONTACT_EMAIL == "kreisentwicklung@example.invalid"


def test_unknown_page_shows_the_german_404_page(client):
    response = client.get("/gibt-es-nicht/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "Seite nicht gefunden" in html
    assert h1_count(html) == 1


def test_500_page_renders_without_request_context_and_database(django_assert_num_queries):
    # Django's server_error view renders 500.html without any context; do the same.
    with django_assert_num_queries(0):
        html = render_to_string("500.html")

    assert "Serverfehler" in html
    assert '<html lang="de">' in html
    assert h1_count(html) == 1


def test_breadcrumbs_link_every_level_but_the_current_page():
    html = render_to_string(
        "portal/partials/breadcrumbs.html",
        {"breadcrumbs": [("Start", "/"), ("Maßnahmen", "/massnahmen/"), ("2-84", None)]},
    )

    assert 'aria-label="Brotkrumennavigation"' in html
    assert 'href="/"' in html
    assert 'href="/massnahmen/"' in html
    assert '<li aria-current="page">2-84</li>' in html


def test_pagination_keeps_the_filters_in_the_links():
    request = RequestFactory().get("/massnahmen/", {"field": "2", "page": "2"})
    page_obj = Paginator(list(range(50)), 10).page(2)

    html = render_to_string(
        "portal/partials/pagination.html", {"page_obj": page_obj}, request=request
    )

    assert "Seite 2 von 5" in html
    assert 'href="?field=2&amp;page=1"' in html
    assert 'href="?field=2&amp;page=3"' in html


def test_pagination_is_hidden_for_a_single_page():
    request = RequestFactory().get("/massnahmen/")
    page_obj = Paginator([1, 2], 10).page(1)

    html = render_to_string(
        "portal/partials/pagination.html", {"page_obj": page_obj}, request=request
    )

    assert html.strip() == ""
