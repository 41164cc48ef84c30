"""Passwords are hashed with Argon2: new, back-office and demo users; old hashes on sign-in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from accounts.demo import ensure_demo_user
from monitoring.tests.factories import World

User = get_user_model()


def test_a_user_created_with_create_user_gets_an_argon2_password_hash(db: Any) -> None:
    user = User.objects.create_user("neue-redakteurin", password="ein-langes-Passwort-2026")

    stored = User.objects.get(pk=user.pk).password

    assert stored.startswith("argon2$argon2id$")
    assert "ein-langes-Passwort-2026" not in stored


def test_a_user_the_coordination_adds_in_the_back_office_gets_an_argon2_password_hash(
    staff_client: Any, world: World
) -> None:
    response = staff_client("coordination").post(
        "/admin/auth/user/add/",
        {
            "username": "sachbearbeiterin",
            "usable_password": "true",
            "password1": "ein-langes-Passwort-2026",
            "password2": "ein-langes-Passwort-2026",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="sachbearbeiterin")
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("ein-langes-Passwort-2026")


def test_a_demo_user_gets_an_argon2_password_hash(
    db: Any, settings: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("KEK_DEMO_PASSWORD", "ein-langes-demo-passwort")

    ensure_demo_user("demo-redaktion")

    assert User.objects.get(username="demo-redaktion").password.startswith("argon2$argon2id$")


def test_an_old_pbkdf2_hash_is_upgraded_to_argon2_when_the_user_signs_in(
    client: Any, world: World, settings: Any
) -> None:
    user = world.user("editor_of_lead_office")
    project_hashers = list(settings.PASSWORD_HASHERS)
    assert project_hashers[0].endswith("Argon2PasswordHasher")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user.set_password("richtig-und-lang-genug")
    user.save()
    assert User.objects.get(pk=user.pk).password.startswith("pbkdf2_sha256$")
    settings.PASSWORD_HASHERS = project_hashers

    response = client.post(
        "/anmelden/", {"username": user.username, "password": "richtig-und-lang-genug"}
    )

    assert response["Location"] == "/intern/"
    assert User.objects.get(pk=user.pk).password.startswith("argon2$argon2id$")
