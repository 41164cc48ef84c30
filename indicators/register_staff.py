"""Staff pages of the registers (/intern/kataster/…): entries by hand and from a file.

Anyone with a role in the plan reads them; who changes what is `indicators.policies`
(the register's lead offices and the coordination everything, Gemeinde editors their own).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import policies as account_policies
from indicators import policies
from indicators.forms import EntryForm, RegisterFileForm
from indicators.models import Register, RegisterEntry
from indicators.services import (
    RegisterError,
    delete_entry,
    import_register,
    read_register_file,
    save_entry,
)
from plans.models import Plan

View = Callable[..., HttpResponse]
UPLOAD_SESSION_KEY = "kek_register_upload"


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(
        request, "monitoring/forbidden.html", {"message": message, "back_url": None}, status=403
    )


def staff_register_page(view: View) -> View:
    """Signed-in users with a role in the plan; never cached; the plan as `request.plan`."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            plan = Plan.objects.current()
        except Plan.DoesNotExist:
            raise Http404("No plan imported yet") from None
        request.plan = plan  # type: ignore[attr-defined]
        if not account_policies.can_read_internal(request.user, plan):
            response = _forbidden(request, _("You have no role in the implementation monitoring."))
        else:
            response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper


def _register(request: HttpRequest, slug: str) -> Register:
    return get_object_or_404(Register, plan=request.plan, slug=slug)  # type: ignore[attr-defined]


@require_safe
@staff_register_page
def register_list(request: HttpRequest) -> HttpResponse:
    """The registers with the number of entries the user maintains."""
    registers = list(Register.objects.filter(plan=request.plan))  # type: ignore[attr-defined]
    rows = [
        (register, policies.entries_maintainable_by(request.user, register).count())
        for register in registers
    ]
    return render(request, "indicators/staff/register_list.html", {"rows": rows})


@require_safe
@staff_register_page
def register_entries(request: HttpRequest, slug: str) -> HttpResponse:
    """A register's entries: those the user maintains, with links to change them."""
    register = _register(request, slug)
    allowed = policies.maintainable_ags(request.user, register)
    entries = (
        RegisterEntry.objects.filter(register=register)
        .select_related("municipality")
        .defer("municipality__boundary")
    )
    if allowed is not None:
        entries = entries.filter(municipality__ags__in=allowed)
    return render(
        request,
        "indicators/staff/register.html",
        {
            "register": register,
            "entries": entries.order_by("municipality__name", "designation"),
            "may_add": allowed is None or bool(allowed),
            "may_import": allowed is None or bool(allowed),
            "upload_form": RegisterFileForm(),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_register_page
def entry_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Add an entry (no pk) or change one."""
    register = _register(request, slug)
    allowed = policies.maintainable_ags(request.user, register)
    entry = None
    if pk is not None:
        entry = get_object_or_404(
            RegisterEntry.objects.select_related("municipality"), pk=pk, register=register
        )
        if not policies.can_maintain_entry(request.user, register, entry.municipality.ags):
            return _forbidden(request, _("You may not maintain this entry."))
    elif allowed is not None and not allowed:
        return _forbidden(request, _("You may not add entries to this register."))
    initial = EntryForm.initial_of(entry) if entry else {}
    form = EntryForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        allowed_ags=allowed,
        unit=register.unit,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_entry(
                request.user,
                register,
                form.entry_data(),
                entry,
                expected_version=form.cleaned_data.get("version"),
            )
        except RegisterError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("“%(name)s” was saved.") % {"name": saved.designation})
            return redirect("indicators:staff_register", slug=register.slug)
    return render(
        request,
        "indicators/staff/entry_form.html",
        {"register": register, "entry": entry, "form": form},
    )


@require_POST
@staff_register_page
def entry_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Remove an entry."""
    register = _register(request, slug)
    entry = get_object_or_404(RegisterEntry, pk=pk, register=register)
    try:
        delete_entry(request.user, entry)
    except RegisterError as error:
        return _forbidden(request, error.message)
    messages.success(request, _("“%(name)s” was removed.") % {"name": entry.designation})
    return redirect("indicators:staff_register", slug=register.slug)


@require_POST
@staff_register_page
def register_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload a file: show the preview. Confirm (`apply`): import the file previewed."""
    register = _register(request, slug)
    if request.POST.get("apply"):
        stashed = request.session.get(UPLOAD_SESSION_KEY) or {}
        if stashed.get("register") != register.pk:
            messages.error(request, _("Upload the file again: its preview has expired."))
            return redirect("indicators:staff_register", slug=register.slug)
        data, name = base64.b64decode(stashed["data"]), stashed["name"]
    else:
        form = RegisterFileForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for e in form.errors.get("file", [])))
            return redirect("indicators:staff_register", slug=register.slug)
        upload = form.cleaned_data["file"]
        data, name = upload.read(), upload.name
    apply = bool(request.POST.get("apply"))
    try:
        preview = import_register(
            request.user, register, read_register_file(data, name), file_name=name, apply=apply
        )
    except RegisterError as error:
        return render(
            request,
            "indicators/staff/import_preview.html",
            {"register": register, "error": error, "file_name": name},
            status=400,
        )
    if apply:
        request.session.pop(UPLOAD_SESSION_KEY, None)
        messages.success(
            request,
            _("%(new)d entries added, %(changed)d changed.")
            % {"new": len(preview.new), "changed": len(preview.changed)},
        )
        return redirect("indicators:staff_register", slug=register.slug)
    request.session[UPLOAD_SESSION_KEY] = {
        "register": register.pk,
        "name": name,
        "data": base64.b64encode(data).decode("ascii"),
    }
    return render(
        request,
        "indicators/staff/import_preview.html",
        {"register": register, "preview": preview, "file_name": name},
    )
