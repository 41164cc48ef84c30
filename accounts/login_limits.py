"""Login limits on top of django-axes: per account with a growing delay, per client address.

Axes records every failed login (username, address) in `AccessAttempt`; this handler decides
from those rows:
- an account is locked after `KEK_LOGIN_ACCOUNT_LIMIT` failures from any addresses, for one
  minute after the last failure, doubling with every further failure (at most an hour); a
  failure during the lock is not recorded, so an attacker cannot lock an account for longer
  than the delay they earned, and password guessing slows down exponentially;
- a client address is locked for `KEK_LOGIN_ADDRESS_WINDOW_MINUTES` after
  `KEK_LOGIN_ADDRESS_LIMIT` failures for any usernames (password spraying).
Behind a reverse proxy the client address comes from `KEK_CLIENT_IP_HEADER`, believed only
when the request comes from one of `KEK_TRUSTED_PROXIES` (see the README, "Betrieb").
"""

from __future__ import annotations

import datetime
import ipaddress
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest
from django.utils import timezone

ACCOUNT_BASE_DELAY = datetime.timedelta(minutes=1)
ACCOUNT_MAX_DELAY = datetime.timedelta(hours=1)


def account_lock_delay(failures: int) -> datetime.timedelta:
    """How long an account stays locked after its last failure, given its failure count."""
    limit = int(settings.KEK_LOGIN_ACCOUNT_LIMIT)
    if failures < limit:
        return datetime.timedelta(0)
    doublings = min(failures - limit, 20)  # 2**20 minutes is far beyond the maximum
    return min(ACCOUNT_BASE_DELAY * 2**doublings, ACCOUNT_MAX_DELAY)


def _is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(
        ip in ipaddress.ip_network(proxy, strict=False) for proxy in settings.KEK_TRUSTED_PROXIES
    )


def client_address(request: HttpRequest) -> str | None:
    """The client's address: from the proxy header if the sender is a trusted proxy."""
    remote = str(request.META.get("REMOTE_ADDR", "")) or None
    header = str(settings.KEK_CLIENT_IP_HEADER or "")
    if not remote or not header or not _is_trusted_proxy(remote):
        return remote
    meta_key = "HTTP_" + header.upper().replace("-", "_")
    forwarded = [part.strip() for part in str(request.META.get(meta_key, "")).split(",")]
    # Right to left: each trusted proxy appends the address it received the request from.
    for candidate in reversed([part for part in forwarded if part]):
        if not _is_trusted_proxy(candidate):
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                return remote
    return remote


class LoginLimitHandler(AxesDatabaseHandler):
    """Axes' database handler with the account and address limits of this module."""

    def lock_until(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> datetime.datetime | None:
        """The end of the lock of this login's account or client address, or None."""
        now = timezone.now()
        locks: list[datetime.datetime] = []
        username = get_client_username(request, credentials)
        if username:
            account = AccessAttempt.objects.filter(username=username).aggregate(
                failures=Sum("failures_since_start"), last=Max("attempt_time")
            )
            delay = account_lock_delay(account["failures"] or 0)
            if delay and account["last"] + delay > now:
                locks.append(account["last"] + delay)
        address = getattr(request, "axes_ip_address", None)
        if address:
            window = datetime.timedelta(minutes=int(settings.KEK_LOGIN_ADDRESS_WINDOW_MINUTES))
            recent = AccessAttempt.objects.filter(
                ip_address=address, attempt_time__gt=now - window
            ).aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            if (recent["failures"] or 0) >= int(settings.KEK_LOGIN_ADDRESS_LIMIT):
                locks.append(recent["last"] + window)
        return max(locks) if locks else None

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """Axes compares this with AXES_FAILURE_LIMIT (1): 1 while locked, else 0."""
        return 1 if self.lock_until(request, credentials) else 0
