"""Creating, checking and revoking API tokens (the one place that knows how they are hashed).

A token is 32 random bytes (URL-safe text with the prefix `kek_`); the database keeps only its
SHA-256. A slow password hash is not needed: the token is random, not chosen by a person.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.policies import can_read_internal
from plans.models import Plan

from .models import ApiToken

TOKEN_PREFIX = "kek_"
# Tokens live at most this long (days); the staff form offers shorter lifetimes.
MAX_LIFETIME_DAYS = 365


class TokenError(Exception):
    """A token could not be created or revoked; the message is German and meant for the user."""


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(user: Any, plan: Plan, name: str, days: int) -> tuple[ApiToken, str]:
    """Create a token for the user; returns it with the plain token (shown once, never stored)."""
    if not can_read_internal(user, plan):
        raise TokenError(_("Only users with a role in the plan can create API tokens."))
    name = name.strip()
    if not name:
        raise TokenError(_("Give the token a name."))
    if not 1 <= days <= MAX_LIFETIME_DAYS:
        raise TokenError(
            _("A token is valid for 1 to %(days)s days.") % {"days": MAX_LIFETIME_DAYS}
        )
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=plain[:12],
        token_hash=hash_token(plain),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    return token, plain


def revoke_token(user: Any, token: ApiToken) -> ApiToken:
    """Revoke a token of the user (superusers may revoke any); revoking twice changes nothing."""
    if token.user_id != user.pk and not user.is_superuser:
        raise TokenError(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def user_for_token(plain: str) -> Any | None:
    """The active user a usable token belongs to, or None; notes when the token was used."""
    token = (
        ApiToken.objects.usable()
        .select_related("user")
        .filter(token_hash=hash_token(plain))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Written at most once a minute per token: reads stay reads.
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
