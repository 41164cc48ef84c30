"""Version 1 of the API: the django-ninja object, its error handlers and its OpenAPI schema."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.openapi.schema import OpenAPISchema

from monitoring.services.errors import (
    ConflictError,
    InvalidData,
    InvalidTransition,
    MonitoringError,
    NotAllowed,
)
from portal.middleware import CONTENT_SECURITY_POLICY

from .problems import PROBLEM_CONTENT_TYPE, problem
from .views import indicators, public, reports  # noqa: F401 – reports adds the writes to the router
from .views.common import ApiProblem

DESCRIPTION = """
Die offene Schnittstelle des KEK-Monitors: der Plan, seine Gliederung, die Maßnahmen mit ihrem
veröffentlichten Stand, die Berichtsrunden, alle veröffentlichten Berichte, die Indikatoren mit
ihren Werten und Zielen und die Gemeinden – dieselben Daten wie das Portal. Lesen ist frei (CORS
`*`, `ETag`/`Last-Modified` mit 304, Seiten zu 50 Einträgen, Ratenbegrenzung mit 429 und
`Retry-After`). Schreiben mit einem persönlichen API-Schlüssel (`Authorization: Bearer …`, im
internen Bereich unter /intern/api-schluessel/) und `If-Match` auf die Version des Berichts.
Fehler als Problem Details (RFC 9457).
"""


class KekApi(NinjaAPI):
    """NinjaAPI whose schema documents the problem details as `application/problem+json`."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for code, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(code) >= 400 and "application/json" in content:
                        response["content"] = {PROBLEM_CONTENT_TYPE: content["application/json"]}
        return schema


# The documentation page runs Swagger UI from our static files; it sets style attributes,
# so its page alone allows inline styles (no inline scripts, no other origin).
DOCS_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)


def _docs_policy(view: Any) -> Any:
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = DOCS_POLICY
        return response

    return wrapper


api = KekApi(
    title="KEK-Monitor API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/schema/",
    docs_url="/docs/",
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_decorator=_docs_policy,
)
api.add_router("", public.router)
api.add_router("", indicators.router)


@api.exception_handler(ApiProblem)
def _problem(request: HttpRequest, error: ApiProblem) -> HttpResponse:
    return problem(error.status, error.title, error.detail, **_errors(error.errors))


def _errors(errors: dict[str, list[str]] | None) -> dict[str, Any]:
    return {"errors": errors} if errors else {}


@api.exception_handler(MonitoringError)
def _monitoring_error(request: HttpRequest, error: MonitoringError) -> HttpResponse:
    """The services' German refusals: 403, 409, 412 (stale version) or 422."""
    if isinstance(error, NotAllowed):
        return problem(403, _("Forbidden"), error.message)
    if isinstance(error, ConflictError):
        return problem(412, _("Precondition failed"), error.message, version=error.stored_version)
    if isinstance(error, InvalidData):
        return problem(422, _("Invalid data"), error.message, **_errors(error.errors))
    if isinstance(error, InvalidTransition):
        return problem(409, _("Conflict"), error.message)
    return problem(400, _("Bad request"), error.message)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    response = problem(
        401,
        _("Not authenticated"),
        _("Send a valid API token: Authorization: Bearer <token>."),
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """Malformed input: 400 for the URL's parameters, 422 for a request body."""
    errors: dict[str, list[str]] = {}
    in_body = False
    for item in error.errors:
        location = [str(part) for part in item.get("loc", [])]
        in_body = in_body or (location[:1] == ["body"])
        errors.setdefault(".".join(location[1:]) or "request", []).append(
            _("Invalid value (%(reason)s).") % {"reason": item.get("type", "")}
        )
    status = 422 if in_body else 400
    title = _("Invalid data") if in_body else _("Bad request")
    return problem(status, title, _("Please check the marked values."), errors=errors)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return problem(404, _("Not found"), _("This resource does not exist."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    return problem(error.status_code, _("Error"), str(error))
