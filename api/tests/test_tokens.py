"""API tokens: hashed at rest, shown once, expiring, revocable, managed in the staff area."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from api.models import ApiToken
from api.tokens import TokenError, create_token, hash_token, revoke_token, user_for_token
from monitoring.tests.factories import World

from .conftest import bearer

PAGE = "/intern/api-schluessel/"


def test_a_token_is_stored_only_as_its_hash(world: World) -> None:
    token, plain = create_token(
        world.user("editor_of_lead_office"), world.plan, "Fachverfahren", 30
    )
    stored = ApiToken.objects.get(pk=token.pk)
    assert plain.startswith("kek_") and len(plain) > 40
    assert stored.token_hash == hash_token(plain) != plain
    assert plain not in {str(value) for value in ApiToken.objects.values_list().get(pk=token.pk)}
    assert stored.prefix == plain[:12]
    assert user_for_token(plain) == world.user("editor_of_lead_office")
    assert user_for_token(plain + "x") is None


def test_an_expired_token_signs_nobody_in(
    client: Any, world: World, token_of: Callable[[str], str]
) -> None:
    plain = token_of("coordination")
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert user_for_token(plain) is None
    response = client.post(
        f"/api/v1/reports/{world.report().pk}/approve/", **bearer(plain), HTTP_IF_MATCH='"2"'
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["title"] == "Nicht angemeldet"


def test_a_revoked_token_signs_nobody_in(world: World) -> None:
    user = world.user("editor_of_lead_office")
    token, plain = create_token(user, world.plan, "Skript", 30)
    revoke_token(user, token)
    assert user_for_token(plain) is None
    with pytest.raises(TokenError):
        revoke_token(world.user("editor_of_other_office"), token)


def test_a_token_of_an_unknown_kind_on_a_read_is_refused(client: Any, world: World) -> None:
    response = client.get("/api/v1/reports/1/", HTTP_AUTHORIZATION="Bearer kek_falsch")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")


def test_users_without_a_role_cannot_create_tokens(world: World) -> None:
    with pytest.raises(TokenError):
        create_token(world.user("no_role"), world.plan, "x", 30)
    with pytest.raises(TokenError):
        create_token(world.user("reader"), world.plan, "x", 400)


def test_the_staff_page_shows_a_new_token_once_and_revokes_it(client: Any, world: World) -> None:
    client.force_login(world.user("editor_of_lead_office"))
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Sie haben noch keinen API-Schlüssel." in page.content.decode()
    response = client.post(PAGE, {"name": "Fachverfahren AfS", "days": "90"})
    html = response.content.decode()
    assert response.status_code == 200
    token = ApiToken.objects.get()
    shown = html.split('id="neuer-schluessel">')[1].split("<")[0]
    assert hash_token(shown) == token.token_hash
    assert token.expires_at.date() == (timezone.now() + datetime.timedelta(days=90)).date()
    again = client.get(PAGE).content.decode()
    assert shown not in again and token.prefix in again  # shown once, recognisable later
    assert (
        response["Cache-Control"].startswith("private") or "no-store" in response["Cache-Control"]
    )
    client.post(f"{PAGE}{token.pk}/widerrufen/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "widerrufen" in client.get(PAGE).content.decode()


def test_nobody_revokes_a_token_of_someone_else_in_the_staff_area(
    client: Any, world: World
) -> None:
    token, _plain = create_token(world.user("editor_of_lead_office"), world.plan, "x", 30)
    client.force_login(world.user("editor_of_other_office"))
    assert client.post(f"{PAGE}{token.pk}/widerrufen/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_staff_page_needs_a_signed_in_user_with_a_role(client: Any, world: World) -> None:
    assert client.get(PAGE).status_code == 302
    client.force_login(world.user("no_role"))
    assert client.get(PAGE).status_code == 403


def test_the_staff_home_links_to_the_tokens(client: Any, world: World) -> None:
    client.force_login(world.user("editor_of_lead_office"))
    html = client.get("/intern/").content.decode()
    assert f'href="{PAGE}">API-Schlüssel: ein Programm für Sie berichten lassen' in html
