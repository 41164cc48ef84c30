"""The page parameter of the portal's paged measure lists (`?seite=2`).

Pages that list measures show 50 at a time, so they grow with the page, not the plan. The
parameter is German like the paths; `?page=` of older links still works.
"""

from __future__ import annotations

from django.http import HttpRequest

PAGE_PARAMETER = "seite"
OLD_PAGE_PARAMETER = "page"


def page_number(request: HttpRequest, parameter: str = PAGE_PARAMETER) -> str | None:
    """The requested page number as given (the paginator copes with anything)."""
    number = request.GET.get(parameter)
    if number is None and parameter == PAGE_PARAMETER:
        number = request.GET.get(OLD_PAGE_PARAMETER)
    return number
