"""The back office (/admin/) for the coordination, with permissions from `monitoring.policies`.

Django's admin decides by `is_staff` and model permissions; here the policy module decides:
superusers and Koordination members enter, and each sees and changes only its own plans.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from monitoring import policies
from plans.models import Organisation, Plan


class BackOfficeSite(admin.AdminSite):
    """The admin site: entry by policy, login through the staff login page."""

    site_header = _("KEK-Monitor – back office")
    site_title = _("KEK-Monitor – back office")
    index_title = _("Back office")

    def has_permission(self, request: HttpRequest) -> bool:
        return policies.can_use_back_office(request.user)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """One login for everyone: the staff login page, back here afterwards.

        A signed-in user without the right is told so (the login page would send them back).
        """
        if request.user.is_authenticated:
            raise PermissionDenied(_("The back office is for the coordination only."))
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


def plan_of(obj: Any) -> int | None:
    """The id of the plan an object belongs to (None if it belongs to none)."""
    if obj is None:
        return None
    if isinstance(obj, Plan):
        return obj.pk
    for path in ("plan_id", "placement", "reporting_round", "measure"):
        value = getattr(obj, path, None)
        if value is None:
            continue
        return value if isinstance(value, int) else plan_of(value)
    return None


def allowed(request: HttpRequest, obj: Any = None) -> bool:
    """The back office at all (no object) or the object's plan (by `policies`)."""
    if obj is None:
        return policies.can_use_back_office(request.user)
    plan_id = plan_of(obj)
    return plan_id is not None and policies.can_administer(request.user, plan_id)


class PlanScopedPermissions:
    """The plan's coordination views, adds, changes and deletes; no one else.

    For model admins and inlines (an inline is asked about the object it is shown on).
    Subclasses that forbid an action (e.g. deleting measures) override the predicate and win.
    """

    def has_module_permission(self, request: HttpRequest) -> bool:
        return allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return allowed(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return allowed(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return allowed(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return allowed(request, obj)


class PlanScopedAdmin(PlanScopedPermissions, admin.ModelAdmin):
    """A model of a plan: lists only the user's plans, offers only their objects as choices.

    `plan_lookup` leads from the model to its plan in queries ("pk" for the plan itself).
    """

    plan_lookup = "plan"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return allowed(request)

    def rows(self) -> QuerySet[Any]:
        """All rows the back office may list before scoping (the default manager's)."""
        return self.model._default_manager.get_queryset()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = self.rows()
        ordering = self.get_ordering(request)
        if ordering:
            queryset = queryset.order_by(*ordering)
        if request.user.is_superuser:
            return queryset
        plans = policies.administered_plans(request.user)
        if self.plan_lookup == "pk":
            return queryset.filter(pk__in=plans)
        return queryset.filter(**{f"{self.plan_lookup}__in": plans})

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """No "add/change/view plan" icons next to a plan choice: plans come from imports."""
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and getattr(db_field, "related_model", None) is Plan:
            widget = formfield.widget
            for flag in (
                "can_add_related",
                "can_change_related",
                "can_delete_related",
                "can_view_related",
            ):
                if hasattr(widget, flag):
                    setattr(widget, flag, False)
        return formfield

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """Choices only from the user's own plans."""
        plans = policies.administered_plans(request.user)
        if db_field.related_model is Plan:
            kwargs["queryset"] = plans
        elif db_field.related_model is Organisation:
            kwargs["queryset"] = Organisation.objects.filter(plan__in=plans)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
