"""The staff pages of API tokens (/intern/api-schluessel/): create (shown once), list, revoke."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from monitoring.views.access import staff_page

from . import tokens
from .models import ApiToken
from .tokens import TokenError

LIFETIMES = [
    (30, gettext_lazy("30 days")),
    (90, gettext_lazy("90 days")),
    (180, gettext_lazy("180 days")),
    (365, gettext_lazy("1 year")),
]


class TokenForm(forms.Form):
    """A new token: what it is for and how long it lives."""

    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. “Fachverfahren AfS”"),
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Valid for"), choices=LIFETIMES, coerce=int, initial=90
    )


def _signed_in(request: HttpRequest) -> Any:
    """The signed-in user (`staff_page` lets nobody else through)."""
    assert request.user.is_authenticated
    return request.user


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's tokens; POST creates one and shows it once on the answer page."""
    plan = request.plan  # type: ignore[attr-defined]
    created = None
    status = 200
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                _token, created = tokens.create_token(
                    request.user, plan, form.cleaned_data["name"], form.cleaned_data["days"]
                )
            except TokenError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                form = TokenForm()
        else:
            status = 400
    else:
        form = TokenForm()
    return render(
        request,
        "api/token_list.html",
        {
            "form": form,
            "tokens": ApiToken.objects.filter(user=_signed_in(request)),
            "created": created,
        },
        status=status,
    )


@require_POST
@staff_page
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's tokens."""
    token = get_object_or_404(ApiToken, pk=pk, user=_signed_in(request))
    tokens.revoke_token(request.user, token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api_tokens")
