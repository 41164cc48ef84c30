"""Staff page /intern/werte/: a Gemeinde editor (or the coordination) uploads values of its
Gemeinde in the long format, sees the preview, then imports them (all or nothing)."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import policies
from indicators.forms import ValueFileForm
from indicators.models import Municipality
from indicators.register_staff import staff_register_page
from indicators.services import (
    ValueImportError,
    import_values_of_municipality,
    read_value_file,
    value_rules,
)

UPLOAD_SESSION_KEY = "kek_value_upload"


@require_http_methods(["GET", "POST"])
@staff_register_page
def value_upload(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST with a file: the preview. POST `apply`: import the previewed file."""
    plan = request.plan  # type: ignore[attr-defined]
    ags = policies.municipality_ags(request.user, plan)
    may_upload = ags is not None or policies.is_coordination(request.user, plan)
    context: dict[str, object] = {
        "form": ValueFileForm(),
        "may_upload": may_upload,
        "municipality": Municipality.objects.filter(ags=ags).first() if ags else None,
    }
    if request.method == "GET":
        return render(request, "indicators/staff/value_upload.html", context)
    if not may_upload:
        return render(request, "indicators/staff/value_upload.html", context, status=403)
    apply = bool(request.POST.get("apply"))
    if apply:
        stashed = request.session.get(UPLOAD_SESSION_KEY) or {}
        if not stashed:
            messages.error(request, _("Upload the file again: its preview has expired."))
            return redirect("indicators:staff_values")
        data, name = base64.b64decode(stashed["data"]), stashed["name"]
    else:
        form = ValueFileForm(request.POST, request.FILES)
        if not form.is_valid():
            context["form"] = form
            return render(request, "indicators/staff/value_upload.html", context, status=400)
        upload = form.cleaned_data["file"]
        data, name = upload.read(), upload.name
    try:
        preview = import_values_of_municipality(
            request.user,
            plan,
            read_value_file(data, value_rules(plan)),
            file_name=name,
            apply=apply,
        )
    except ValueImportError as error:
        context["error"] = error.message
        context["problems"] = error.problems
        return render(request, "indicators/staff/value_upload.html", context, status=400)
    if apply:
        request.session.pop(UPLOAD_SESSION_KEY, None)
        messages.success(
            request,
            _("%(new)d new and %(changed)d changed values imported.")
            % {"new": len(preview.new), "changed": len(preview.changed)},
        )
        return redirect("indicators:staff_values")
    request.session[UPLOAD_SESSION_KEY] = {
        "name": name,
        "data": base64.b64encode(data).decode("ascii"),
    }
    context.update({"preview": preview, "file_name": name})
    return render(request, "indicators/staff/value_upload.html", context)
