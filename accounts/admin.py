"""Back office for users and roles: who may do what in which plan.

The coordination of a plan manages the accounts of its people: it creates users, sets their
passwords, deactivates them and gives them a role in its plan. It cannot touch superusers,
staff accounts or people who also have a role in a plan it does not coordinate, and it can
never grant superuser or staff rights; only superusers can delete accounts.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts import policies
from accounts.models import Membership
from plans.models import Organisation
from plans.plan_scoped_admin import PlanScopedAdmin

User = get_user_model()


@admin.register(Membership)
class MembershipAdmin(PlanScopedAdmin, admin.ModelAdmin):
    """Memberships of users in plans, with the organisation an office role acts for."""

    list_display = ["user", "role", "organisation", "plan"]
    list_filter = ["role", "plan"]
    list_select_related = ["user", "organisation", "plan"]
    search_fields = ["user__username", "organisation__abbreviation"]
    autocomplete_fields = ["user"]
    raw_id_fields = ["organisation"]


class MembershipInline(admin.TabularInline):
    """The user's roles in the plans the signed-in coordination manages."""

    model = Membership
    extra = 1
    fields = ["plan", "role", "organisation"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        queryset = super().get_queryset(request).select_related("organisation", "plan")
        return queryset.filter(plan__in=policies.administered_plans(request.user))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        plans = policies.administered_plans(request.user)
        if db_field.name == "plan":
            kwargs["queryset"] = plans
        elif db_field.name == "organisation":
            kwargs["queryset"] = Organisation.objects.filter(plan__in=plans).order_by(
                "abbreviation"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policies.can_use_back_office(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policies.can_use_back_office(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policies.can_use_back_office(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policies.can_use_back_office(request.user)


def manages_account(user: Any, account: Any) -> bool:
    """Whether the signed-in user may change this account (see the module docstring)."""
    if user.is_superuser:
        return True
    if account.is_superuser or account.is_staff:
        return False
    plans = set(policies.administered_plans(user).values_list("pk", flat=True))
    theirs = set(account.memberships.values_list("plan_id", flat=True))
    return bool(plans) and theirs <= plans


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    """Accounts, with their roles; rights beyond the plan's roles only for superusers."""

    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active"]
    list_filter = ["is_active", "memberships__role"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        plans = policies.administered_plans(request.user)
        return queryset.filter(is_superuser=False, is_staff=False).exclude(
            memberships__in=Membership.objects.exclude(plan__in=plans)
        )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f in _PLAIN_FIELDS]})
            for name, options in fieldsets
            if any(f in _PLAIN_FIELDS for f in options["fields"])
        ]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return policies.can_use_back_office(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policies.can_use_back_office(request.user) and (
            obj is None or manages_account(request.user, obj)
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policies.can_use_back_office(request.user) and (
            obj is None or manages_account(request.user, obj)
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return policies.can_use_back_office(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Accounts are deactivated, not deleted (their reports name them)."""
        return request.user.is_superuser


# What the coordination may set on an account: no staff, superuser, groups or permissions.
_PLAIN_FIELDS = {
    "username",
    "password",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "last_login",
    "date_joined",
}
