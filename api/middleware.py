"""Rate limit, CORS and conditional GET of every answer under /api/."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_http_date
from django.utils.translation import gettext as _

from plans.models import Plan

from .conditional import plan_validators
from .problems import problem
from .tokens import hash_token

API_PREFIX = "/api/"
# A report's own ETag is its version (api/views/common.py), not the plan's.
OWN_VALIDATORS = re.compile(r"^/api/v1/reports/\d+/$")
# Answers that do not follow the plan's data: the schema and the documentation.
WITHOUT_PLAN_VALIDATORS = ("/api/v1/schema/", "/api/v1/docs/")
EXPOSED_HEADERS = "ETag, Last-Modified, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining"


def _client(request: HttpRequest) -> str:
    """Whom the rate limit counts: the token if one is sent, else the IP address."""
    authorization = request.headers.get("Authorization", "")
    if authorization:
        return "token:" + hash_token(authorization)[:24]
    return "ip:" + str(request.META.get("REMOTE_ADDR", ""))


def _count_request(request: HttpRequest) -> tuple[int, int, int]:
    """Count the request in the client's current window: (count, limit, seconds left)."""
    window = max(1, settings.KEK_API_RATE_WINDOW_SECONDS)
    now = time.time()
    key = f"api:rate:{_client(request)}:{int(now // window)}"
    cache.add(key, 0, window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between add and incr
        cache.set(key, 1, window + 1)
        count = 1
    left = max(1, int(window - now % window))
    return count, settings.KEK_API_RATE_LIMIT, left


class ApiMiddleware:
    """Under /api/: the rate limit (429), CORS for reads, ETag/Last-Modified with 304."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        count, limit, left = _count_request(request)
        if count > limit:
            response = problem(
                429,
                _("Too many requests"),
                _("At most %(limit)s requests per %(window)s seconds. Try again in %(left)s s.")
                % {
                    "limit": limit,
                    "window": settings.KEK_API_RATE_WINDOW_SECONDS,
                    "left": left,
                },
            )
            response["Retry-After"] = str(left)
        elif "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            # PostgreSQL refuses NUL in text: such a value can name nothing here.
            response = problem(400, _("Bad request"), _("The address contains a NUL character."))
        elif request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
        else:
            response = self._answer(request)
        response["X-RateLimit-Limit"] = str(limit)
        response["X-RateLimit-Remaining"] = str(max(0, limit - count))
        if request.method in ("GET", "HEAD", "OPTIONS"):
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response

    def _answer(self, request: HttpRequest) -> HttpResponse:
        """The view's answer; a public read gets the plan's validators and may become a 304.

        HEAD is answered as GET without the body (the operations are declared for GET only).
        """
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        try:
            response = self._validated(request)
        finally:
            if head:
                request.method = "HEAD"
        if head:
            response.content = b""
        return response

    def _validated(self, request: HttpRequest) -> HttpResponse:
        """The answer of a GET with the validators of a public read (maybe a 304)."""
        unchanged = self._unchanged(request)
        if unchanged is not None:
            return unchanged
        response = self.get_response(request)
        if (
            request.method not in ("GET", "HEAD")
            or response.status_code != 200
            or request.path.startswith(WITHOUT_PLAN_VALIDATORS)
        ):
            return response
        if request.headers.get("Authorization"):
            # What a token sees depends on its user: never from a shared cache.
            patch_vary_headers(response, ["Authorization"])
            response["Cache-Control"] = "private, no-cache"
            return response
        if not response.has_header("ETag"):
            try:
                plan = Plan.objects.current()
            except Plan.DoesNotExist:
                return response
            etag, last_modified = plan_validators(plan)
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified.timestamp())
        response["Cache-Control"] = "public, max-age=60"
        patch_vary_headers(response, ["Authorization"])
        modified = response.get("Last-Modified")
        conditional = get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=parse_http_date(modified) if modified else None,
            response=response,
        )
        return conditional if conditional is not None else response

    def _unchanged(self, request: HttpRequest) -> HttpResponse | None:
        """A 304 without calling the view when a public read names the plan's current
        validators: its answer follows the plan's revision and rounds alone."""
        if (
            request.headers.get("Authorization")
            or not (
                request.headers.get("If-None-Match") or request.headers.get("If-Modified-Since")
            )
            or request.path.startswith(WITHOUT_PLAN_VALIDATORS)
            or OWN_VALIDATORS.match(request.path)
        ):
            return None
        try:
            plan = Plan.objects.current()
        except Plan.DoesNotExist:
            return None
        etag, last_modified = plan_validators(plan)
        answer = get_conditional_response(
            request, etag=etag, last_modified=int(last_modified.timestamp())
        )
        if answer is None or answer.status_code != 304:
            return None
        answer["ETag"] = etag
        answer["Last-Modified"] = http_date(last_modified.timestamp())
        answer["Cache-Control"] = "public, max-age=60"
        patch_vary_headers(answer, ["Authorization"])
        return answer
