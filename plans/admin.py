"""German back office for the catalogue (Koordination Kreisentwicklung)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from plans.history import plan_id_of, record_imported_states
from plans.measure_deletion import DeletionResult, restore_measures, soft_delete_measures
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
from plans.plan_scoped_admin import PlanScopedAdmin, PlanScopedPermissions
from plans.services import CatalogueChange, mark_catalogue_changed

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class CatalogueAdmin(PlanScopedAdmin, admin.ModelAdmin):
    """Each save or delete in the back office is a change of the catalogue (mark_catalogue_changed).

    Only the plan's coordination (and superusers) see and change it (`PlanScopedAdmin`).
    """

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        plan_id = plan_id_of(form.instance)
        mark_catalogue_changed(plan_id, CatalogueChange.of(plan_id, saved_entries(form)))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        plan_id = plan_id_of(obj)
        deletion = CatalogueChange.of_deletion(plan_id, [obj])
        super().delete_model(request, obj)
        mark_catalogue_changed(plan_id, deletion)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        by_plan: dict[int, list[Any]] = {}
        for obj in queryset:
            by_plan.setdefault(plan_id_of(obj), []).append(obj)
        deletions = [CatalogueChange.of_deletion(pid, objs) for pid, objs in by_plan.items()]
        super().delete_queryset(request, queryset)
        for deletion in deletions:
            mark_catalogue_changed(deletion.plan_id, deletion)


def saved_entries(form: Any) -> list[Any]:
    """The entry a back-office form saved, its inlines' entries and, for a placement moved to
    another measure, the measure it left (whose text it no longer adds to)."""
    entries: list[Any] = [form.instance]
    previous_measure = form.initial.get("measure") if isinstance(form.instance, Placement) else None
    if previous_measure and previous_measure != form.instance.measure_id:
        entries.append(Measure(pk=previous_measure))
    return entries


class AuditedCatalogueAdmin(CatalogueAdmin, SimpleHistoryAdmin):
    """A catalogue model under the audit trail: its history (who, when, old → new) and
    restoring an earlier version, which is itself saved as a new, attributed version.

    The document import writes in bulk without history rows (its import report is its
    record); before the first change of an entry its imported state is recorded, so the
    history can show it and restore it.
    """

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            record_imported_states(type(obj), [obj.pk])
        super().save_model(request, obj, form, change)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        before = self.get_object(request, object_id)
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:  # restored
            obj = self.get_object(request, object_id)
            if obj is not None:
                plan_id = plan_id_of(obj)
                mark_catalogue_changed(plan_id, CatalogueChange.of(plan_id, [before, obj]))
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

    list_display = ["abbreviation", "name", "kind", "ags", "in_glossary", "plan"]
    list_filter = ["kind", "in_glossary", "plan"]
    list_select_related = ["plan"]
    search_fields = ["abbreviation", "name"]


@admin.register(KeyProject)
class KeyProjectAdmin(CatalogueAdmin):
    """Schlüsselvorhaben references."""

    list_display = ["code", "name", "field_number", "plan"]
    list_filter = ["field_number", "plan"]
    list_select_related = ["plan"]
    search_fields = ["code", "name", "description"]


class PlacementInline(PlanScopedPermissions, admin.TabularInline):
    """Where the document places a measure (also a deleted one's: they are kept with it)."""

    model = Placement
    fk_name = "measure"
    extra = 0
    fields = readonly_fields = (
        "order",
        "field_number",
        "goal_code",
        "approach_label",
        "lead",
        "priority",
        "line",
    )
    show_change_link = True
    can_delete = False
    ordering = ["order"]

    def has_add_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        """Placements come from the document import, not from this form."""
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Placement]:
        return Placement.all_objects.order_by("order")


class InterlinkedFilter(admin.SimpleListFilter):
    """Measures placed under more than one Handlungsfeld."""

    title = _("interlinked")
    parameter_name = "interlinked"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[str, StrPromise]]:
        """Yes only: "no" is the rest."""
        return [("yes", _("in several fields of action"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Measure]) -> QuerySet[Measure]:
        """Filter to interlinked measures when chosen."""
        return queryset.interlinked() if self.value() == "yes" else queryset  # type: ignore[attr-defined]


class DeletedFilter(admin.SimpleListFilter):
    """Measures in the plan vs. softly deleted ones."""

    title = _("deleted")
    parameter_name = "deleted"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[str, StrPromise]]:
        """In the plan or deleted."""
        return [("no", _("in the plan")), ("yes", _("deleted"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Measure]) -> QuerySet[Measure]:
        """Filter by whether the measure is deleted."""
        if self.value() in ("yes", "no"):
            return queryset.filter(deleted_at__isnull=self.value() == "no")
        return queryset


class SoftDeletionForm(forms.Form):
    """Why measures are deleted (kept with them and shown in their audit trail)."""

    note = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@admin.register(Measure)
class MeasureAdmin(AuditedCatalogueAdmin):
    """Measures, one per number, with their placements; deleted ones too, to restore them."""

    list_display = ["number", "short_title", "home_field", "commission", "deleted_at", "plan"]
    list_filter = ["home_field", "commission", InterlinkedFilter, DeletedFilter, "plan"]
    list_select_related = ["plan"]
    search_fields = ["number", "title"]
    readonly_fields = ["deleted_at", "deleted_by", "deletion_note"]
    inlines = [PlacementInline]
    ordering = ["plan", "field_part", "seq"]
    actions = ["soft_delete", "restore"]

    def rows(self) -> QuerySet[Measure]:
        return Measure.all_objects.get_queryset()

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        """Measures are only deleted softly (the action below); nothing removes their rows."""
        return False

    @admin.action(description=_("Delete selected measures (restorable)"), permissions=["change"])
    def soft_delete(
        self, request: HttpRequest, queryset: QuerySet[Measure]
    ) -> TemplateResponse | None:
        """Ask for a reason on a confirmation page, then delete the measures softly."""
        form = SoftDeletionForm(request.POST if "confirmed" in request.POST else None)
        if form.is_valid():
            result = soft_delete_measures(
                list(queryset.values_list("pk", flat=True)),
                user=request.user,
                note=form.cleaned_data["note"],
            )
            self._report(request, result, _("Deleted (restorable): %(numbers)s"))
            return None
        return TemplateResponse(
            request,
            "admin/plans/measure/soft_delete.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Delete measures"),
                "opts": self.model._meta,
                "measures": queryset.order_by("field_part", "seq"),
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Restore selected measures"), permissions=["change"])
    def restore(self, request: HttpRequest, queryset: QuerySet[Measure]) -> None:
        """Bring deleted measures back into the plan."""
        result = restore_measures(list(queryset.values_list("pk", flat=True)), user=request.user)
        self._report(request, result, _("Restored: %(numbers)s"))

    def _report(self, request: HttpRequest, result: DeletionResult, done: StrPromise) -> None:
        if result.done:
            numbers = ", ".join(m.number for m in result.done)
            self.message_user(request, done % {"numbers": numbers}, messages.SUCCESS)
        for refusal in result.refused:
            self.message_user(request, refusal, messages.WARNING)

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

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[str, StrPromise]]:
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
