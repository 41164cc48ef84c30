"""Template helpers of the staff area: form fields in KERN markup with accessible errors."""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

register = template.Library()

_INPUT_CLASS = {
    forms.Select: "kern-form-input__select",
    forms.Textarea: "kern-form-input__input",
}


def hint_id(field: forms.BoundField) -> str:
    return f"{field.auto_id}-hinweis"


def error_id(field: forms.BoundField) -> str:
    return f"{field.auto_id}-fehler"


@register.filter
def kern_widget(field: forms.BoundField) -> SafeString:
    """Render the field's widget with KERN classes and aria-describedby hint and errors."""
    widget = field.field.widget
    css = next(
        (c for kind, c in _INPUT_CLASS.items() if isinstance(widget, kind)),
        "kern-form-input__input",
    )
    described = []
    if field.help_text:
        described.append(hint_id(field))
    attrs: dict[str, str | bool] = {}
    if field.errors:
        described.append(error_id(field))
        attrs["aria-invalid"] = "true"
        css += " " + css + "--error"
    attrs["class"] = css
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def field_hint_id(field: forms.BoundField) -> str:
    """The id of the field's hint."""
    return hint_id(field)


@register.filter
def field_error_id(field: forms.BoundField) -> str:
    """The id of the field's error message."""
    return error_id(field)


@register.filter
def is_select(field: forms.BoundField) -> bool:
    """Whether the field renders as a select (KERN wraps selects)."""
    return isinstance(field.field.widget, forms.Select)


@register.inclusion_tag("monitoring/partials/staff_nav.html", takes_context=True)
def staff_navigation(context: template.Context) -> dict[str, object]:
    """The sub-navigation of the staff area; the round pages only for the coordination."""
    from accounts import policies

    request = context["request"]
    path = request.path
    plan = getattr(request, "plan", None)
    is_coordination = plan is not None and policies.is_coordination(request.user, plan)
    sections: list[tuple[object, str, tuple[str, ...]]] = [
        (_("Overview"), "/intern/", ()),
        (
            _("My measures"),
            "/intern/massnahmen/",
            ("/intern/massnahmen/", "/intern/berichte/", "/intern/arbeitsmappe/"),
        ),
    ]
    if is_coordination:
        sections.append((_("Reporting rounds"), "/intern/runden/", ("/intern/runden/",)))
    sections.append((_("Registers"), "/intern/kataster/", ("/intern/kataster/",)))
    sections.append(
        (_("Contributions of the municipalities"), "/intern/beitraege/", ("/intern/beitraege/",))
    )
    # aria-current: "page" on the page itself, "true" on the section a sub-page belongs to.
    items = [
        (label, href, "page" if path == href else "true" if path.startswith(within) else "")
        for label, href, within in sections
    ]
    return {"items": items, "request": request, "csrf_token": context.get("csrf_token")}
