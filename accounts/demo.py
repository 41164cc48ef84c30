"""Demo accounts for a local installation: one superuser with a stable, secret password."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

DEMO_ADMIN_USERNAME = "admin"
DEMO_PASSWORD_ENV = "KEK_DEMO_PASSWORD"
DEMO_PASSWORD_FILE_NAME = "demo_password"


@dataclass(frozen=True)
class DemoLogin:
    """What a person needs to sign in to the demo."""

    username: str
    password: str
    created: bool


def demo_password_file() -> Path:
    """Return the file that keeps the generated demo password (under KEK_VAR_DIR)."""
    return Path(settings.VAR_DIR) / DEMO_PASSWORD_FILE_NAME


def demo_password() -> str:
    """Return $KEK_DEMO_PASSWORD, else the password generated once and kept in var/."""
    from_env = os.environ.get(DEMO_PASSWORD_ENV)
    if from_env:
        return from_env
    path = demo_password_file()
    if path.exists():
        stored = path.read_text(encoding="utf-8").strip()
        if stored:
            return stored
    path.parent.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(18)
    # Create the file with 0600 from the start so the password is never world-readable.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
    path.chmod(0o600)
    return password


@transaction.atomic
def ensure_demo_admin() -> DemoLogin:
    """Create or update the demo superuser so that it can sign in with the demo password."""
    password = demo_password()
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        defaults=None, **{user_model.USERNAME_FIELD: DEMO_ADMIN_USERNAME}
    )
    user.is_staff = True
    user.is_superuser = True
    user.is_active = True
    if created or not user.check_password(password):
        user.set_password(password)
    user.save()
    return DemoLogin(username=DEMO_ADMIN_USERNAME, password=password, created=created)


@transaction.atomic
def ensure_demo_user(username: str) -> DemoLogin:
    """Create or update an ordinary demo user (no staff rights) with the demo password."""
    password = demo_password()
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        defaults=None, **{user_model.USERNAME_FIELD: username}
    )
    user.is_active = True
    if not user.email:
        # A reserved domain: the demo's reminders show up on the console, reach no one.
        user.email = f"{username}@example.invalid"
    if created or not user.check_password(password):
        user.set_password(password)
    user.save()
    return DemoLogin(username=username, password=password, created=created)
