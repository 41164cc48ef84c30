"""Security headers on the portal's responses."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

STRICT_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
    "object-src 'none'"
)


def test_start_page_sends_the_strict_content_security_policy(client):
    response = client.get("/")

    assert response["Content-Security-Policy"] == STRICT_CSP


def test_start_page_sends_nosniff_referrer_policy_and_deny_framing(client):
    response = client.get("/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_admin_sends_the_same_strict_policy(client):
    response = client.get("/admin/login/")

    assert response["Content-Security-Policy"] == STRICT_CSP


def test_404_page_sends_the_strict_content_security_policy(client):
    response = client.get("/gibt-es-nicht/")

    assert response.status_code == 404
    assert response["Content-Security-Policy"] == STRICT_CSP
