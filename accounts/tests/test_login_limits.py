"""Login limits: per account with a growing delay, per client address behind a trusted proxy."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client

from accounts.login_limits import account_lock_delay

pytestmark = pytest.mark.django_db

PASSWORD = "richtig-und-lang-genug"
PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def behind_proxy(settings: Any) -> None:
    settings.KEK_TRUSTED_PROXIES = [PROXY]
    settings.KEK_CLIENT_IP_HEADER = "X-Forwarded-For"


@pytest.fixture
def account(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("amt-redaktion", password=PASSWORD)


def sign_in(username: str, password: str, client_address: str, **headers: str) -> int:
    """Post the login form from this address; return the status (302 = signed in)."""
    response = Client(REMOTE_ADDR=client_address, **headers).post(
        "/anmelden/", {"username": username, "password": password}
    )
    return int(response.status_code)


def via_proxy(username: str, password: str, client_address: str) -> int:
    return sign_in(username, password, PROXY, HTTP_X_FORWARDED_FOR=f"{client_address}")


def age_attempts(seconds: int) -> None:
    """Let time pass for the recorded failures."""
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= datetime.timedelta(seconds=seconds)
        attempt.save(update_fields=["attempt_time"])


def test_an_account_is_locked_after_five_failures_from_five_addresses(
    account: Any, behind_proxy: None
) -> None:
    for number in range(4):
        assert via_proxy(account.username, "falsch", f"192.0.2.{number + 1}") == 200
    assert via_proxy(account.username, "falsch", "192.0.2.5") == 429

    assert via_proxy(account.username, PASSWORD, "192.0.2.99") == 429


def test_the_account_delay_grows_with_each_further_failure(account: Any) -> None:
    assert [account_lock_delay(n).total_seconds() for n in (4, 5, 6, 7)] == [0, 60, 120, 240]
    assert account_lock_delay(100) == datetime.timedelta(hours=1)

    for _ in range(5):
        sign_in(account.username, "falsch", "192.0.2.1")
    age_attempts(61)
    assert sign_in(account.username, "falsch", "192.0.2.1") == 429  # sixth failure: 2 minutes
    age_attempts(61)
    assert sign_in(account.username, PASSWORD, "192.0.2.1") == 429
    age_attempts(61)
    assert sign_in(account.username, PASSWORD, "192.0.2.1") == 302


def test_password_spraying_from_one_address_is_limited(
    django_user_model: Any, account: Any, settings: Any
) -> None:
    settings.KEK_LOGIN_ADDRESS_LIMIT = 10
    for number in range(10):
        django_user_model.objects.create_user(f"konto-{number}", password=PASSWORD)
        sign_in(f"konto-{number}", "Sommer2026!", "198.51.100.7")

    assert sign_in(account.username, PASSWORD, "198.51.100.7") == 429
    assert sign_in(account.username, PASSWORD, "198.51.100.8") == 302


def test_clients_behind_the_trusted_proxy_are_limited_one_by_one(
    django_user_model: Any, account: Any, settings: Any, behind_proxy: None
) -> None:
    settings.KEK_LOGIN_ADDRESS_LIMIT = 10
    for number in range(10):
        via_proxy(f"unbekannt-{number}", "falsch", "198.51.100.7")

    assert via_proxy(account.username, PASSWORD, "198.51.100.7") == 429
    assert via_proxy(account.username, PASSWORD, "198.51.100.8") == 302


def test_the_header_of_an_untrusted_sender_is_ignored(
    account: Any, settings: Any, behind_proxy: None
) -> None:
    settings.KEK_LOGIN_ADDRESS_LIMIT = 10
    for number in range(10):
        sign_in(f"unbekannt-{number}", "falsch", "203.0.113.5", HTTP_X_FORWARDED_FOR="1.2.3.4")

    # The spraying client cannot pretend to be someone else by forging the header.
    assert sign_in(account.username, PASSWORD, "203.0.113.5", HTTP_X_FORWARDED_FOR="5.6.7.8") == 429
