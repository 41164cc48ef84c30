"""Deployment checks of `kek check --deploy` that Django only warns about."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

# Django's own rule for a strong key (security.W009), made an error in production.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5


def secret_key_is_weak(key: str) -> bool:
    """True if the key is short, repetitive or one of Django's generated insecure keys."""
    return (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or key.startswith("django-insecure-")
    )


@register(Tags.security, deploy=True)
def check_secret_key_strength(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """In production a weak SECRET_KEY is an error, so that `check --deploy` exits non-zero."""
    if not getattr(settings, "PRODUCTION", False) or not secret_key_is_weak(settings.SECRET_KEY):
        return []
    return [
        Error(
            "SECRET_KEY ist zu schwach: mindestens 50 Zeichen, davon 5 verschiedene.",
            hint='Erzeugen: python3 -c "import secrets; print(secrets.token_urlsafe(60))"',
            id="operations.E001",
        )
    ]


@register(Tags.security, deploy=True)
def check_accessibility_contact(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """The accessibility statement must name a real feedback address (BITV 2.0)."""
    address = getattr(settings, "KEK_CONTACT_EMAIL", "")
    if address and not address.rstrip(".").endswith(".invalid"):
        return []
    return [
        Warning(
            f"KEK_CONTACT_EMAIL ist „{address}“: die Erklärung zur Barrierefreiheit nennt so "
            "keine erreichbare Kontaktadresse.",
            hint="KEK_CONTACT_EMAIL in der Umgebung auf die Adresse der Kreisentwicklung setzen.",
            id="operations.W002",
        )
    ]


@register(Tags.security, deploy=True)
def check_dcat_contributor(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """GovData harvests only catalogues whose `dcatde:contributorID` is on its list."""
    if settings.KEK_DCAT_CONTRIBUTOR_ID != settings.KEK_DCAT_CONTRIBUTOR_PLACEHOLDER:
        return []
    return [
        Warning(
            "KEK_DCAT_CONTRIBUTOR_ID ist nicht gesetzt: die DCAT-Metadaten nennen einen "
            "Platzhalter, den GovData nicht annimmt.",
            hint="Die von GovData vergebene ID (http://dcat-ap.de/def/contributors/…) in der "
            "Umgebung setzen (portal/README.md, „DCAT-AP.de“).",
            id="operations.W003",
        )
    ]
