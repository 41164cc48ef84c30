"""Who gets into the staff area, how refusals look, and that no staff page is cached."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts import policies
from accounts.views import mark_session_expired
from monitoring.services import ConflictError, InvalidData, MonitoringError, NotAllowed
from plans.models import Plan

View = Callable[..., HttpResponse]

# How a refused write answers: not allowed → 403, state or data → 409 / 400.
STATUS_OF_ERROR: dict[type[MonitoringError], int] = {
    NotAllowed: 403,
    ConflictError: 409,
    InvalidData: 400,
}


def _is_local(request: HttpRequest, url: str) -> bool:
    """Whether the URL stays on this site (relative, or this host with an allowed scheme)."""
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def came_from(request: HttpRequest) -> str | None:
    """The page the user came from (Referer) if it is on this site, else None."""
    referer = request.headers.get("referer", "")
    return referer if _is_local(request, referer) else None


def forbidden(request: HttpRequest, message: str | None = None) -> HttpResponse:
    """The German 403 page."""
    return render(
        request,
        "monitoring/forbidden.html",
        {
            "message": message or _("You have no role in the implementation monitoring."),
            "back_url": came_from(request),
        },
        status=403,
    )


def error_page(request: HttpRequest, error: MonitoringError) -> HttpResponse:
    """A German page for a write the services refused (403, 400 or 409), with a way back."""
    if isinstance(error, NotAllowed):
        return forbidden(request, error.message)
    status = STATUS_OF_ERROR.get(type(error), 409)
    return render(
        request,
        "monitoring/refused.html",
        {"message": error.message, "back_url": came_from(request) or reverse("staff:home")},
        status=status,
    )


# Session key of a form posted after the session expired.
STASH_SESSION_KEY = "kek_stashed_post"
# Posts of these views are kept across the login: view → the page that shows the form again.
STASHED_FORMS = {"staff:report": "staff:report", "staff:submit": "staff:report"}


def stash_post(request: HttpRequest) -> str | None:
    """Keep a report form posted without a session; return the page that will restore it.

    The data waits in the (new, anonymous) session, which the login keeps; the report page
    fills it into the form after the login, unsaved. Other posts are not kept (None).
    """
    match = request.resolver_match
    target = STASHED_FORMS.get(match.view_name) if match else None
    if match is None or target is None:
        return None
    url = reverse(target, kwargs=match.kwargs)
    data = {key: values for key, values in request.POST.lists() if key != "csrfmiddlewaretoken"}
    request.session[STASH_SESSION_KEY] = {"path": url, "data": data}
    return url


def restore_post(request: HttpRequest) -> QueryDict | None:
    """The form data stashed for this page before the login, once; None if there is none."""
    stashed = request.session.get(STASH_SESSION_KEY)
    if not stashed or stashed.get("path") != request.path:
        return None
    del request.session[STASH_SESSION_KEY]
    data = QueryDict(mutable=True)
    for key, values in stashed["data"].items():
        data.setlist(key, values)
    return data


def _send_to_login(request: HttpRequest) -> HttpResponse:
    """The login page, then back here. A post (or a session cookie that no longer signs
    anybody in) means the session expired: the login says so, and a report form is kept."""
    next_path = request.get_full_path()
    expired = request.method == "POST" or settings.SESSION_COOKIE_NAME in request.COOKIES
    restored_at = stash_post(request) if request.method == "POST" else None
    if request.method == "POST":
        # A POST-only address cannot be the way back: the form's page, or the one posted from.
        next_path = restored_at or came_from_path(request) or reverse("staff:home")
    if expired:
        mark_session_expired(request, input_kept=restored_at is not None)
    return redirect_to_login(next_path)


def came_from_path(request: HttpRequest) -> str | None:
    """The path of the page the user came from, if it is on this site."""
    referer = came_from(request)
    return urlsplit(referer).path if referer else None


def staff_page(view: View) -> View:
    """Signed-in users with a role in the plan only; never cached; refusals as German pages.

    The view gets the plan as `request.plan`. NotAllowed from a service becomes the 403 page.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            response: HttpResponse = _send_to_login(request)
        else:
            try:
                plan = Plan.objects.current()
            except Plan.DoesNotExist:
                raise Http404("No plan imported yet") from None
            request.plan = plan  # type: ignore[attr-defined]
            if not policies.can_read_internal(request.user, plan):
                response = forbidden(request)
            else:
                try:
                    response = view(request, *args, **kwargs)
                except NotAllowed as error:
                    response = forbidden(request, error.message)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper


def posted_id(request: HttpRequest, name: str) -> int | None:
    """The integer id posted as `name`; None if absent, 404 if it is not a number."""
    raw = request.POST.get(name, "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404(f"{name} must be a number")
    return int(raw)


def next_url(request: HttpRequest, default: str) -> str:
    """The local address in POST "next" (an anchor such as "#bericht-5" included), else the
    default (never another host)."""
    candidate = request.POST.get("next", "")
    return candidate if _is_local(request, candidate) else default
