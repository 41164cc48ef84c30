"""Template tags of the portal: main navigation and URLs that keep the current filters."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

from portal import paging, slugs
from portal.navigation import MAIN_NAVIGATION

register = template.Library()


@register.inclusion_tag("portal/partials/main_navigation.html", takes_context=True)
def main_navigation(context: template.Context) -> dict[str, Any]:
    """Render the main navigation, marking the section of the current page.

    The 500 page is rendered without a request; then no item is marked.
    """
    request: HttpRequest | None = context.get("request")
    path = request.path if request is not None else ""
    return {"items": [(item, item.is_current_for(path)) for item in MAIN_NAVIGATION]}


@register.simple_tag(takes_context=True)
def page_query(context: template.Context, page_number: int, parameter: str = "") -> str:
    """Return "?…" for the given page, keeping the other query parameters (filters, search).

    `parameter` names the page's query parameter when a page has two paged lists.
    """
    request: HttpRequest = context["request"]
    query = request.GET.copy()
    query[parameter or "page"] = str(page_number)
    if parameter == paging.PAGE_PARAMETER:
        query.pop(paging.OLD_PAGE_PARAMETER, None)  # an older link's page number
    return f"?{query.urlencode()}"


@register.filter
def key_project_slug(code: str) -> str:
    """The URL slug of a key project code ("SV I.2" → "sv-i-2")."""
    return slugs.key_project_slug(code)
