"""Model admins scoped to plans: each plan's objects only for those who administer that plan.

Who administers which plan is the admin site's answer (`PlanAdministration`; the back office
site in `accounts.back_office` asks the role policy), so the catalogue's admin needs no import
of the apps above plans.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from plans.models import Organisation, Plan


class PlanAdministration(Protocol):
    """What a plan-scoped admin asks its admin site."""

    def has_permission(self, request: HttpRequest) -> bool:
        """Whether the user may enter the back office at all."""
        ...

    def can_administer(self, request: HttpRequest, plan_id: int) -> bool:
        """Whether the user administers the plan."""
        ...

    def administered_plans(self, request: HttpRequest) -> QuerySet[Plan]:
        """The plans the user administers."""
        ...


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


def allowed(site: PlanAdministration, request: HttpRequest, obj: Any = None) -> bool:
    """The back office at all (no object) or the object's plan, as the admin site decides."""
    if obj is None:
        return site.has_permission(request)
    plan_id = plan_of(obj)
    return plan_id is not None and site.can_administer(request, plan_id)


class PlanScopedPermissions:
    """The plan's coordination views, adds, changes and deletes; no one else.

    For model admins and inlines (an inline is asked about the object it is shown on).
    Subclasses that forbid an action (e.g. deleting measures) override the predicate and win.
    """

    admin_site: Any  # set by Django on every model admin and inline

    def has_module_permission(self, request: HttpRequest) -> bool:
        return allowed(self.admin_site, request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return allowed(self.admin_site, request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return allowed(self.admin_site, request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return allowed(self.admin_site, request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return allowed(self.admin_site, request, obj)


class PlanScopedAdmin(PlanScopedPermissions, admin.ModelAdmin):
    """A model of a plan: lists only the user's plans, offers only their objects as choices.

    `plan_lookup` leads from the model to its plan in queries ("pk" for the plan itself).
    """

    plan_lookup = "plan"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return allowed(self.admin_site, request)

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
        plans = self.admin_site.administered_plans(request)
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
        plans = self.admin_site.administered_plans(request)
        if db_field.related_model is Plan:
            kwargs["queryset"] = plans
        elif db_field.related_model is Organisation:
            kwargs["queryset"] = Organisation.objects.filter(plan__in=plans)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
