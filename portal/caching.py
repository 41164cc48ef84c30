"""Caching of public pages, keyed by the plan revision, so an edit shows on the next request."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

from plans.models import Plan

View = Callable[..., HttpResponse]


def public_page(view: View) -> View:
    """Serve a GET page of the current plan from the cache while the plan is unchanged.

    On a miss the view is called with the plan after the request: `view(request, plan, …)`.
    Responses are cached per plan revision and full path (and htmx fragment or page), so
    every catalogue change (import, back office, a published report) makes the next request
    render afresh; old entries simply expire.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            plan = Plan.objects.current()
        except Plan.DoesNotExist:
            raise Http404("No plan imported yet") from None
        fragment = "fragment" if request.headers.get("HX-Request") else "page"
        # The host is part of the key: some pages (DCAT) carry absolute URLs.
        page = f"{request.get_host()}{request.get_full_path()}"
        key = f"portal:{plan.pk}:{plan.revision}:{fragment}:{page}"
        cacheable = request.method in ("GET", "HEAD")
        response = cache.get(key) if cacheable else None
        if response is None:
            response = view(request, plan, *args, **kwargs)
            if cacheable and response.status_code == 200 and not response.streaming:
                cache.set(key, response, settings.KEK_PAGE_CACHE_SECONDS)
        patch_vary_headers(response, ["HX-Request"])
        patch_cache_control(response, public=True, max_age=60)
        return response

    return wrapper
