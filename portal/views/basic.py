"""Views of the public portal: accessibility statement and the page in Leichte Sprache.

The error pages need no views: Django's defaults render templates/404.html (with the request)
and templates/500.html (without any context, so a broken database cannot break it).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe


def _iso_date(value: str) -> datetime.date | None:
    """A configured ISO date, or None if it is not one (the statement then omits it)."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    """Show the accessibility statement (Erklärung zur Barrierefreiheit) required by BITV 2.0."""
    breadcrumbs = [(_("Start"), reverse("portal:start")), (_("Accessibility statement"), None)]
    return render(
        request,
        "portal/accessibility.html",
        {
            "breadcrumbs": breadcrumbs,
            "contact_email": settings.KEK_CONTACT_EMAIL,
            "statement_date": _iso_date(settings.KEK_ACCESSIBILITY_STATEMENT_DATE),
            "test_date": _iso_date(settings.KEK_ACCESSIBILITY_TEST_DATE),
            # Lines separated by ";" in the setting ("Name; Street 1; 01234 Town").
            "enforcement_address": [
                line.strip()
                for line in settings.KEK_ENFORCEMENT_BODY_ADDRESS.split(";")
                if line.strip()
            ],
            "enforcement_url": settings.KEK_ENFORCEMENT_BODY_URL,
        },
    )


@require_safe
def easy_language(request: HttpRequest) -> HttpResponse:
    """Explain the KEK and this site in Leichte Sprache (BITV 2.0 § 4)."""
    breadcrumbs = [(_("Start"), reverse("portal:start")), (_("Easy language"), None)]
    return render(
        request,
        "portal/easy_language.html",
        {"breadcrumbs": breadcrumbs, "contact_email": settings.KEK_CONTACT_EMAIL},
    )
