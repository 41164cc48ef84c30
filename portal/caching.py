"""Caching of public pages, keyed by the plan revision, so an edit shows on the next request."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

from plans.models import Plan

View = Callable[..., HttpResponse]
_COLUMNS = [f.attname for f in Plan._meta.concrete_fields]
PLAN_ID, PLAN_REVISION = _COLUMNS.index("id"), _COLUMNS.index("revision")


@lru_cache
def _plan_row_sql(vendor: str) -> str:
    """The SELECT of current_plan_row, made once per database vendor (its quoting)."""
    q = connection.ops.quote_name
    columns = ", ".join(q(f.column) for f in Plan._meta.concrete_fields)
    return f"SELECT {columns} FROM {q(Plan._meta.db_table)} WHERE slug = %s"


def current_plan_row() -> tuple[Any, ...]:
    """The row of the portal's plan, every column: one small query on every page, cached or not.

    Plain SQL because this runs on every request and the ORM's query compilation cost more
    than the query itself; 404 while no plan is imported.
    """
    with connection.cursor() as cursor:
        cursor.execute(_plan_row_sql(connection.vendor), [settings.KEK_PLAN_SLUG])
        row = cursor.fetchone()
    if row is None:
        raise Http404("No plan imported yet")
    return row


def plan_from_row(row: tuple[Any, ...]) -> Plan:
    """The Plan of a row from current_plan_row, with the ORM's conversions (JSON, dates)."""
    fields = Plan._meta.concrete_fields
    compiler = Plan.objects.none().query.get_compiler(connection=connection)
    converters = compiler.get_converters([f.get_col(Plan._meta.db_table) for f in fields])
    values = next(iter(compiler.apply_converters([row], converters))) if converters else row
    return Plan.from_db(connection.alias, [f.attname for f in fields], list(values))


def public_page(view: View) -> View:
    """Serve a GET page of the current plan from the cache while the plan is unchanged.

    On a miss the view receives the plan as `request.plan`. Responses are cached per plan
    revision and full path (and htmx fragment or page), so every catalogue change (import,
    back office, a published report) makes the next request render afresh; old entries
    simply expire.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        row = current_plan_row()
        plan_id, revision = row[PLAN_ID], row[PLAN_REVISION]
        fragment = "fragment" if request.headers.get("HX-Request") else "page"
        # The host is part of the key: some pages (DCAT) carry absolute URLs.
        page = f"{request.get_host()}{request.get_full_path()}"
        key = f"portal:{plan_id}:{revision}:{fragment}:{page}"
        cacheable = request.method in ("GET", "HEAD")
        response = cache.get(key) if cacheable else None
        if response is None:
            # The row read for the key is the plan: no second query.
            request.plan = plan_from_row(row)  # type: ignore[attr-defined]
            response = view(request, *args, **kwargs)
            if cacheable and response.status_code == 200 and not response.streaming:
                cache.set(key, response, settings.KEK_PAGE_CACHE_SECONDS)
        patch_vary_headers(response, ["HX-Request"])
        patch_cache_control(response, public=True, max_age=60)
        return response

    return wrapper
