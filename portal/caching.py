"""Caching of public pages, invalidated by what a change touched (portal/README.md, "Cache").

A cached page's key holds the plan's id and two generation tokens kept in the cache itself: the
plan's catalogue generation (every page) and either the statuses generation (pages that list
statuses: lists, roll-ups, start page, search) or one measure's generation (its page). A
catalogue change draws a new catalogue token, a publication new tokens for the statuses and
that measure only, so the pages of the other measures stay cached. A hit reads the plan and the
tokens in one `get_many`; the database is asked for the plan's revision (the truth) only every
`KEK_PAGE_CACHE_CHECK_SECONDS` (always with a cache of this process alone, which the other
workers' changes never reach), and a revision the cache has not heard of renews everything.
While one request renders a page that lists statuses anew, the others get its last rendering;
one such page is rendered at a time.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

from plans.models import Measure, Plan
from plans.services import PlanChange

View = Callable[..., HttpResponse]
CATALOGUE = "catalogue"
STATUSES = "statuses"


def _plan_key() -> str:
    return f"portal:plan:{settings.KEK_PLAN_SLUG}"


def _checked_key() -> str:
    return f"portal:checked:{settings.KEK_PLAN_SLUG}"


def _rendering_key() -> str:
    return f"portal:rendering:{settings.KEK_PLAN_SLUG}"


def _token_key(name: str) -> str:
    return f"portal:gen:{settings.KEK_PLAN_SLUG}:{name}"


def measure_generation(number: str) -> str:
    """The generation name of one measure's page."""
    return f"measure:{number}"


def _new_token() -> str:
    return uuid.uuid4().hex[:16]


def renew(*names: str) -> None:
    """Draw new tokens: every page cached under the old ones is not served again."""
    cache.set_many({_token_key(name): _new_token() for name in names}, None)


def _token(name: str, known: dict[str, Any]) -> str:
    """The token of name (one drawn if the cache has none: evicted or never drawn)."""
    key = _token_key(name)
    token = known.get(key)
    if token is None:
        cache.add(key, _new_token(), None)  # concurrent requests agree on the first one drawn
        token = cache.get(key) or _new_token()
    return str(token)


def _plan_in_database() -> Plan:
    """The current plan (with its revision); Http404 if there is none."""
    plan = Plan.objects.filter(slug=settings.KEK_PLAN_SLUG).first()
    if plan is None:
        raise Http404("No plan imported yet")
    return plan


def _check_interval() -> int:
    configured = getattr(settings, "KEK_PAGE_CACHE_CHECK_SECONDS", None)
    if configured is not None:
        return int(configured)
    backend = str(settings.CACHES["default"]["BACKEND"])
    return 0 if backend.endswith(("LocMemCache", "DummyCache")) else 10


def _current_plan(known: dict[str, Any]) -> tuple[int, Plan | None, bool]:
    """The current plan's id as the cache knows it, checked against the database when the
    check is due (then with the plan read), and whether the check renewed every token (a
    change the cache missed)."""
    state = known.get(_plan_key())
    if state is not None and known.get(_checked_key()):
        return int(state[0]), None, False
    plan = _plan_in_database()
    plan_id, revision = plan.pk, plan.revision
    renewed = False
    if state is None:
        # No record of what the cached pages show: renew them all (the first one to notice).
        if cache.add(_plan_key(), (plan_id, revision), None):
            renew(CATALOGUE)
        renewed = True
    elif (state[0], state[1]) != (plan_id, revision):
        cache.set(_plan_key(), (plan_id, revision), None)
        renew(CATALOGUE)
        renewed = True
    interval = _check_interval()
    if interval > 0:
        cache.set(_checked_key(), True, interval)
    return plan_id, plan, renewed


def hear_plan_change(change: PlanChange) -> None:
    """Invalidate what a committed change touched (a listener registered in PortalConfig)."""
    state = cache.get(_plan_key())
    if state is not None and state[0] != change.plan_id:
        return  # not the plan the portal shows
    if state is None:
        current = Plan.objects.filter(slug=settings.KEK_PLAN_SLUG).values_list("pk", flat=True)
        if current.first() != change.plan_id:
            return
    if change.catalogue:
        renew(CATALOGUE)
    else:
        numbers = Measure.all_objects.filter(pk__in=change.measure_ids).values_list(
            "number", flat=True
        )
        renew(STATUSES, *(measure_generation(n) for n in numbers))
    if state is None or state[1] < change.revision:
        # What the pages now show is what this revision shows. (Two servers writing at once
        # may leave an older revision here; the next check then renews everything: one extra
        # render of each page, never a stale one.)
        cache.set(_plan_key(), (change.plan_id, change.revision), None)


def _now() -> float:
    """Seconds since the epoch (a function of its own, so that a test can move the clock)."""
    return time.time()


def _refresh_seconds() -> int:
    return int(settings.KEK_STATUS_LISTS_REFRESH_SECONDS)


def _cached(view: View, generation: Callable[[dict[str, Any]], str]) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        depends_on = generation(kwargs)
        keys = [_plan_key(), _checked_key(), _token_key(CATALOGUE), _token_key(depends_on)]
        known = cache.get_many(keys)
        plan_id, checked_plan, renewed = _current_plan(known)
        if renewed:
            known = {}  # read the new tokens
        fragment = "fragment" if request.headers.get("HX-Request") else "page"
        # The host is part of the key: some pages (DCAT) carry absolute URLs.
        page = f"{request.get_host()}{request.get_full_path()}"
        tokens = f"{_token(CATALOGUE, known)}:{_token(depends_on, known)}"
        key = f"portal:{plan_id}:{tokens}:{fragment}:{page}"
        cacheable = request.method in ("GET", "HEAD")
        response = cache.get(key) if cacheable else None
        if isinstance(response, tuple):  # a last rendering kept under this key (below)
            response = response[1] if _now() - response[0] < _refresh_seconds() else None
        # Stale while revalidate, for the pages that list statuses: after a publication such a
        # page is rendered anew at most once per KEK_STATUS_LISTS_REFRESH_SECONDS (a round
        # publishes every few seconds; each list at the 100× plan takes a second to render),
        # and while one request renders it the others get its last rendering (of the same
        # catalogue). A measure's own page shows its new report at once.
        last = f"portal:last:{plan_id}:{_token(CATALOGUE, known)}:{fragment}:{page}"
        owner = False
        if response is None and cacheable and depends_on == STATUSES:
            previous = cache.get(last)  # (rendered at, response)
            age = _now() - previous[0] if previous else None
            if age is not None and age < _refresh_seconds():
                response = previous[1]
                # Kept under the new key as well (with its time), so that the next requests
                # find it in one lookup until the refresh is due: in a round publishing every
                # second, every request for a list went through this second lookup.
                cache.set(key, previous, settings.KEK_PAGE_CACHE_SECONDS)
            elif previous is not None:
                # One page with a last rendering is rendered anew at a time, on all workers
                # and servers; the others serve theirs meanwhile. A publication makes every
                # list stale at once, and they come due together: rendered side by side they
                # left no worker for the requests the cache answers.
                owner = cache.add(_rendering_key(), True, 30)
                response = None if owner else previous[1]
        if response is None:
            plan = checked_plan or Plan.objects.filter(pk=plan_id).first()
            if plan is None:
                raise Http404("No plan imported yet")
            try:
                response = view(request, plan, *args, **kwargs)
                if cacheable and response.status_code == 200 and not response.streaming:
                    cache.set(key, response, settings.KEK_PAGE_CACHE_SECONDS)
                    if depends_on == STATUSES:
                        cache.set(last, (_now(), response), settings.KEK_PAGE_CACHE_SECONDS)
            finally:
                if owner:  # after storing: the next request finds the new rendering
                    cache.delete(_rendering_key())
        patch_vary_headers(response, ["HX-Request"])
        patch_cache_control(response, public=True, max_age=60)
        return response

    return wrapper


def public_page(view: View) -> View:
    """Serve a GET page of the current plan from the cache while nothing it shows changed.

    On a miss the view is called with the plan after the request: `view(request, plan, …)`.
    The page is taken to show statuses (lists, roll-ups): a catalogue change or any published
    report renders it afresh; old entries simply expire.
    """
    return _cached(view, lambda kwargs: STATUSES)


def public_measure_page(view: View) -> View:
    """public_page for the page of one measure (URL argument `number`): a published report
    renders only that measure's page afresh, besides the pages that list statuses."""
    return _cached(view, lambda kwargs: measure_generation(str(kwargs["number"])))
