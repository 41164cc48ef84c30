"""German back office for the catalogue (Koordination Kreisentwicklung)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.back_office import PlanScopedAdmin, PlanScopedPermissions
from plans.models import (
    KeyProject,
    Measure,
    Node,
    Organisation,
    Placement,
    PlacementKeyProject,
    PlacementLead,
    PlacementParticipant,
    Plan,
    Step,
)
from plans.services import mark_catalogue_changed


def _plan_id(obj: object) -> int:
    if isinstance(obj, Plan):
        return obj.pk
    if isinstance(obj, Step):
        return obj.placement.plan_id
    return obj.plan_id  # type: ignore[attr-defined]


def record_imported_state(model: type[Any], pk: int) -> None:
    """Give an entry without history a first record: its stored (imported) state."""
    if model.history.filter(id=pk).exists():
        return
    stored = model.objects.get(pk=pk)
    plan = Plan.objects.filter(pk=_plan_id(stored)).first()
    model.history.bulk_history_create(
        [stored],
        default_change_reason=str(_("As imported from the document")),
        default_date=plan.imported_at if plan is not None and plan.imported_at else None,
    )


class CatalogueAdmin(PlanScopedAdmin, admin.ModelAdmin):
    """Each save or delete in the back office is a change of the catalogue (mark_catalogue_changed).

    Only the plan's coordination (and superusers) see and change it (`PlanScopedAdmin`).
    """

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        mark_catalogue_changed(_plan_id(form.instance))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        plan_id = _plan_id(obj)
        super().delete_model(request, obj)
        mark_catalogue_changed(plan_id)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        plan_ids = {_plan_id(obj) for obj in queryset}
        super().delete_queryset(request, queryset)
        for plan_id in plan_ids:
            mark_catalogue_changed(plan_id)


class AuditedCatalogueAdmin(CatalogueAdmin, SimpleHistoryAdmin):
    """A catalogue model under the audit trail: its history (who, when, old → new) and
    restoring an earlier version, which is itself saved as a new, attributed version.

    The document import writes in bulk without history rows (its import report is its
    record); before the first change of an entry its imported state is recorded, so the
    history can show it and restore it.
    """

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            record_imported_state(type(obj), obj.pk)
        super().save_model(request, obj, form, change)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:  # restored
            obj = self.get_object(request, object_id)
            if obj is not None:
                mark_catalogue_changed(_plan_id(obj))
        return response


@admin.register(Plan)
class PlanAdmin(CatalogueAdmin):
    """Plans with their import provenance."""

    plan_lookup = "pk"

    def has_add_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        """A plan comes from importing its document (`kek import-document`), not from a form."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        """Deleting a plan would delete its whole catalogue and monitoring: superusers only."""
        return request.user.is_superuser

    list_display = ["title", "slug", "imported_at", "source_lines"]
    readonly_fields = ["source_sha256", "source_lines", "imported_at"]
    search_fields = ["title", "slug"]


@admin.register(Node)
class NodeAdmin(AuditedCatalogueAdmin):
    """The hierarchy: Handlungsfelder, Leitziele, Teilziele, Handlungsansätze."""

    list_display = ["code", "label", "level", "plan", "pages", "line"]
    list_filter = ["level", "plan"]
    list_select_related = ["plan"]
    search_fields = ["code", "label", "text", "key"]
    raw_id_fields = ["parent"]
    ordering = ["plan", "order"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedCatalogueAdmin):
    """Offices, municipalities and partners."""

    list_display = ["abbreviation", "name", "kind", "in_glossary", "plan"]
    list_filter = ["kind", "in_glossary", "plan"]
    list_select_related = ["plan"]
    search_fields = ["abbreviation", "name"]


@admin.register(KeyProject)
class KeyProjectAdmin(CatalogueAdmin):
    """Schlüsselvorhaben references."""

    list_display = ["code", "field_number", "plan"]
    list_filter = ["field_number", "plan"]
    list_select_related = ["plan"]
    search_fields = ["code"]


class PlacementInline(PlanScopedPermissions, admin.TabularInline):
    """Where the document places a measure."""

    model = Placement
    fk_name = "measure"
    extra = 0
    fields = ["order", "field_number", "goal_code", "approach_label", "lead", "priority", "line"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    ordering = ["order"]

    def has_add_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        """Placements come from the document import, not from this form."""
        return False


class InterlinkedFilter(admin.SimpleListFilter):
    """Measures placed under more than one Handlungsfeld."""

    title = _("interlinked")
    parameter_name = "interlinked"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        """Yes only: "no" is the rest."""
        return [("yes", _("in several fields of action"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Measure]) -> QuerySet[Measure]:
        """Filter to interlinked measures when chosen."""
        return queryset.interlinked() if self.value() == "yes" else queryset  # type: ignore[attr-defined]


@admin.register(Measure)
class MeasureAdmin(AuditedCatalogueAdmin):
    """Measures, one per number, with their placements."""

    list_display = ["number", "short_title", "home_field", "commission", "plan"]
    list_filter = ["home_field", "commission", InterlinkedFilter, "plan"]
    list_select_related = ["plan"]
    search_fields = ["number", "title"]
    inlines = [PlacementInline]
    ordering = ["plan", "field_part", "seq"]

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        """Measures are never deleted by hand: only a re-import of the document removes one
        (and not while status reports refer to it); the audit trail keeps every version."""
        return False

    @admin.display(description=_("Title"), ordering="title")
    def short_title(self, measure: Measure) -> str:
        """The title, shortened for the list."""
        return measure.title if len(measure.title) <= 100 else measure.title[:99] + "…"


class StepInline(PlanScopedPermissions, admin.TabularInline):
    """Sub-items of a placement; nesting shown through the parent column."""

    model = Step
    extra = 0
    fields = ["order", "parent", "text"]
    raw_id_fields = ["parent"]
    ordering = ["order"]


class LeadInline(PlanScopedPermissions, admin.TabularInline):
    """Lead organisations in printed order."""

    model = PlacementLead
    extra = 0
    raw_id_fields = ["organisation"]
    ordering = ["position"]


class ParticipantInline(PlanScopedPermissions, admin.TabularInline):
    """Participating organisations in printed order."""

    model = PlacementParticipant
    extra = 0
    raw_id_fields = ["organisation"]
    ordering = ["position"]


class KeyProjectInline(PlanScopedPermissions, admin.TabularInline):
    """Key project references in printed order."""

    model = PlacementKeyProject
    extra = 0
    raw_id_fields = ["key_project"]
    ordering = ["position"]


class BuildingBlockFilter(admin.SimpleListFilter):
    """Measure rows vs. numberless building-block rows."""

    title = _("Kind of row")
    parameter_name = "building_block"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        """The two kinds of rows."""
        return [("no", _("Measure row")), ("yes", _("Building block of a measure"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Placement]) -> QuerySet[Placement]:
        """Filter by whether the row belongs to a measure row above it."""
        if self.value() == "yes":
            return queryset.building_blocks()  # type: ignore[attr-defined]
        if self.value() == "no":
            return queryset.measure_rows()  # type: ignore[attr-defined]
        return queryset


@admin.register(Placement)
class PlacementAdmin(AuditedCatalogueAdmin):
    """Each occurrence of a measure in a table of the document."""

    list_display = [
        "measure",
        "field_number",
        "goal_code",
        "approach_label",
        "lead",
        "priority",
        "line",
    ]
    list_filter = ["field_number", "goal_code", "priority", BuildingBlockFilter, "plan"]
    list_select_related = ["measure", "plan"]
    search_fields = ["measure__number", "title", "text", "lead", "participants", "number_cell"]
    raw_id_fields = ["measure", "node", "parent"]
    inlines = [LeadInline, ParticipantInline, KeyProjectInline, StepInline]
    ordering = ["plan", "order"]
