"""German back office for monitoring: statuses editable, reports and events read-only.

Reports change only through the services (policies, versions, events); the back office
shows them with their history (django-simple-history's admin, without revert).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from monitoring.models import (
    Comment,
    Event,
    ReportingRound,
    StatusOption,
    StatusReport,
    StepProgress,
)
from plans.plan_scoped_admin import PlanScopedAdmin, PlanScopedPermissions


class ReadOnlyMixin:
    """No adding, changing or deleting here: the services do that."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StatusOption)
class StatusOptionAdmin(PlanScopedAdmin, admin.ModelAdmin):
    """The statuses a plan offers (labels and order are configurable)."""

    list_display = ["label", "key", "order", "is_continuous", "plan"]
    list_editable = ["order"]
    list_filter = ["plan", "is_continuous"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Statuses in use are protected anyway; none is removed from here."""
        return False


@admin.register(ReportingRound)
class ReportingRoundAdmin(ReadOnlyMixin, PlanScopedAdmin, SimpleHistoryAdmin):
    """Reporting rounds with their history."""

    list_display = ["name", "plan", "reporting_date", "deadline", "state", "opened_by"]
    list_filter = ["state", "plan"]


class StepProgressInline(ReadOnlyMixin, PlanScopedPermissions, admin.TabularInline):
    """The states of the measure's steps and building blocks."""

    model = StepProgress
    extra = 0
    fields = ["placement", "step", "state"]


@admin.register(StatusReport)
class StatusReportAdmin(ReadOnlyMixin, PlanScopedAdmin, SimpleHistoryAdmin):
    """Status reports with their full history (who, when, old and new values)."""

    plan_lookup = "reporting_round__plan"

    list_display = [
        "measure",
        "organisation",
        "reporting_round",
        "status",
        "progress",
        "state",
        "version",
        "is_deleted",
        "updated_at",
    ]
    list_filter = ["state", "is_deleted", "reporting_round", "status"]
    list_select_related = ["measure", "organisation", "reporting_round", "status"]
    search_fields = ["measure__number", "organisation__abbreviation", "summary"]
    inlines = [StepProgressInline]
    history_list_display = ["state", "version", "status", "progress"]


@admin.register(Event)
class EventAdmin(ReadOnlyMixin, PlanScopedAdmin, admin.ModelAdmin):
    """The append-only event log."""

    list_display = ["created_at", "kind", "what_happened", "user", "is_public"]
    list_filter = ["kind", "is_public", "plan"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"

    @admin.display(description=_("What happened"))
    def what_happened(self, event: Event) -> str:
        """The event's German sentence."""
        return event.sentence()


@admin.register(Comment)
class CommentAdmin(ReadOnlyMixin, PlanScopedAdmin, SimpleHistoryAdmin):
    """Comments on measures; hidden ones too (the staff area hides them, nothing deletes)."""

    plan_lookup = "measure__plan"
    list_display = ["measure", "author", "organisation", "created_at", "is_deleted"]
    list_filter = ["is_deleted"]
    list_select_related = ["measure", "author", "organisation"]
    search_fields = ["measure__number", "text", "author__username"]
