"""Back office for roles: who may do what in which plan."""

from __future__ import annotations

from django.contrib import admin

from accounts.models import Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Memberships of users in plans, with the organisation an office role acts for."""

    list_display = ["user", "role", "organisation", "plan"]
    list_filter = ["role", "plan"]
    list_select_related = ["user", "organisation", "plan"]
    search_fields = ["user__username", "organisation__abbreviation"]
    raw_id_fields = ["user", "organisation"]
