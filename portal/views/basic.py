"""Views of the public portal: start page and accessibility statement.

The error pages need no views: Django's defaults render templates/404.html (with the request)
and templates/500.html (without any context, so a broken database cannot break it).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    """Show the accessibility statement (Erklärung zur Barrierefreiheit) required by BITV 2.0."""
    breadcrumbs = [(_("Start"), reverse("portal:start")), (_("Accessibility statement"), None)]
    return render(
        request,
        "portal/accessibility.html",
        {"breadcrumbs": breadcrumbs, "contact_email": settings.KEK_CONTACT_EMAIL},
    )
