"""What the API's operations share: links, paging, the plan, errors as problems, token auth."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from django.core.paginator import EmptyPage, Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from monitoring.models import StatusReport
from plans.models import Plan

from ..schemas import ReportOut
from ..tokens import user_for_token

PREFIX = "/api/v1/"
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class ApiProblem(Exception):
    """Ends an operation with a problem detail (German title and detail)."""

    def __init__(
        self, status: int, title: str, detail: str, errors: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors


def not_found(detail: str) -> ApiProblem:
    """A 404 problem."""
    return ApiProblem(404, _("Not found"), detail)


def current_plan() -> Plan:
    """The plan the installation shows; a 404 problem before any import."""
    try:
        return Plan.objects.current()
    except Plan.DoesNotExist:
        raise not_found(_("No plan has been imported yet.")) from None


def link(request: HttpRequest, *parts: str | int, query: dict[str, Any] | None = None) -> str:
    """The absolute URL of an API resource: /api/v1/<part>/<part>/?query."""
    path = PREFIX + "".join(quote(str(part), safe="") + "/" for part in parts)
    if query:
        path += "?" + urlencode(query)
    return request.build_absolute_uri(path)


def paginate(request: HttpRequest, items: Any, page: int, page_size: int) -> tuple[list[Any], dict]:
    """One page of the items (a queryset or anything with count() and slicing) and its paging."""
    paginator = Paginator(items, page_size, allow_empty_first_page=True)
    try:
        current = paginator.page(page)
    except EmptyPage:
        raise not_found(
            _("Page %(page)s does not exist (%(pages)s pages).")
            % {"page": page, "pages": paginator.num_pages}
        ) from None

    def page_link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return request.build_absolute_uri(request.path + "?" + query.urlencode())

    return list(current.object_list), {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "next": page_link(current.next_page_number()) if current.has_next() else None,
        "previous": page_link(current.previous_page_number()) if current.has_previous() else None,
    }


class TokenAuth(HttpBearer):
    """`Authorization: Bearer kek_…`: a usable token of an active user (api/tokens.py)."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        return user_for_token(token)


def optional_user(request: HttpRequest) -> Any | None:
    """The user of the token sent with a read, None without one; a bad token is a 401."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _space, token = header.partition(" ")
    user = user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise ApiProblem(
            401, _("Not authenticated"), _("The API token is unknown, expired or revoked.")
        )
    return user


def report_response(request: HttpRequest, report: StatusReport, status: int = 200) -> HttpResponse:
    """A report as JSON with its version as ETag (what `If-Match` names) and Last-Modified."""
    from . import serialise

    body = ReportOut(**serialise.report(request, report)).model_dump(mode="json")
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["ETag"] = f'"{report.version}"'
    response["Last-Modified"] = http_date(report.updated_at.timestamp())
    return response


def expected_version(request: HttpRequest, required: bool = True) -> int | None:
    """The report version named by `If-Match` ("3", W/"3" or 3); 428 if it is missing."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        if required:
            raise ApiProblem(
                428,
                _("Precondition required"),
                _("Send the report's version (its ETag) in the If-Match header."),
            )
        return None
    value = header.removeprefix("W/").strip('"')
    if not value.isdigit():
        raise ApiProblem(
            412,
            _("Precondition failed"),
            _('If-Match must name a report version, e.g. "3".'),
        )
    return int(value)
