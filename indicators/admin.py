"""Back office of the indicators: define and redefine indicators (as `kek indicators define`),
see their values with provenance and the Gemeinden. Only the plan's coordination."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from indicators.models import (
    MAY_BE_INTERNAL,
    Direction,
    Indicator,
    IndicatorDefinition,
    IndicatorValue,
    MeasureMunicipality,
    Municipality,
    Register,
    RegisterEntry,
    Target,
)
from indicators.models.indicator import DEFINING_FIELDS
from indicators.services import record_redefinition
from indicators.services.registers import ensure_register_indicator
from plans.models import Measure, Node
from plans.plan_scoped_admin import PlanScopedAdmin, PlanScopedPermissions, allowed
from plans.services import mark_plan_changed


class TargetInline(PlanScopedPermissions, admin.TabularInline):
    """Targets (value and year) of the indicator."""

    model = Target
    extra = 1


class DefinitionInline(PlanScopedPermissions, admin.TabularInline):
    """The versions of the definition: append-only, written by the service."""

    model = IndicatorDefinition
    extra = 0
    can_delete = False
    fields = ("version", "name", "unit", "direction", "note", "recorded_at", "recorded_by")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class IndicatorForm(forms.ModelForm):
    """The indicator with a note that explains a redefinition."""

    redefinition_note = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=500,
        help_text=_(
            "Recorded with a new definition version when name, unit, definition, "
            "source, licence or direction change"
        ),
    )

    class Meta:
        model = Indicator
        fields = (
            "plan",
            "slug",
            "name",
            "short_name",
            "unit",
            "definition",
            "source",
            "licence",
            "direction",
            "band_low",
            "band_high",
            "precision",
            "goals",
            "measures",
        )

    def clean(self) -> dict[str, Any]:
        """A target band needs both bounds, the lower first."""
        data = super().clean() or {}
        low, high = data.get("band_low"), data.get("band_high")
        if data.get("direction") == Direction.BAND and (low is None or high is None or low > high):
            raise forms.ValidationError(
                _("A target band needs a lower and an upper bound (low ≤ high).")
            )
        return data


@admin.register(Indicator)
class IndicatorAdmin(PlanScopedAdmin):
    """Indicators of the coordination's plans; a change of a defining field adds a version."""

    form = IndicatorForm
    list_display = ("name", "slug", "unit", "direction", "version", "plan")
    list_filter = ("plan", "direction")
    search_fields = ("name", "slug")
    filter_horizontal = ("goals", "measures")
    readonly_fields = ("version",)
    inlines = [TargetInline, DefinitionInline]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """Goals and measures only of the user's plans."""
        plans = self.admin_site.administered_plans(request)
        if db_field.name == "goals":
            kwargs["queryset"] = Node.objects.filter(plan__in=plans, level__in=(2, 3))
        elif db_field.name == "measures":
            kwargs["queryset"] = Measure.objects.filter(plan__in=plans).in_number_order()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        changed = DEFINING_FIELDS if not change else form.changed_data
        record_redefinition(
            form.instance, changed, request.user, form.cleaned_data.get("redefinition_note", "")
        )
        mark_plan_changed(form.instance.plan_id)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        plan_id = obj.plan_id
        super().delete_model(request, obj)
        mark_plan_changed(plan_id)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    admin_site: Any  # the back office (accounts.back_office), a PlanAdministration
    """Values with their provenance, read-only: values change by import, never in place."""

    list_display = (
        "indicator",
        "ags",
        "year",
        "value",
        "origin",
        "source_file",
        "source_row",
        "recorded_at",
        "recorded_by",
        "superseded_at",
    )
    list_filter = ("indicator__plan", "origin", "year")
    search_fields = ("indicator__slug", "ags", "source_file")
    list_select_related = ("indicator", "recorded_by")

    def get_queryset(self, request: HttpRequest) -> QuerySet[IndicatorValue]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(indicator__plan__in=self.admin_site.administered_plans(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return allowed(self.admin_site, request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return allowed(self.admin_site, request, obj.indicator if obj else None)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    """The Gemeinden, read-only: loaded from the shipped boundaries at setup."""

    admin_site: Any  # the back office (accounts.back_office), a PlanAdministration

    list_display = ("name", "ags", "area_km2", "area_date")
    search_fields = ("name", "ags")
    exclude = ("boundary",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return allowed(self.admin_site, request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return allowed(self.admin_site, request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MeasureMunicipality)
class MeasureMunicipalityAdmin(PlanScopedAdmin):
    """The Gemeinden a measure concerns, tagged by the coordination of the plan."""

    list_display = ("measure", "municipality", "plan")
    list_filter = ("plan", "municipality")
    search_fields = ("measure__number", "measure__title", "municipality__name")
    autocomplete_fields = ("municipality",)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """Measures only of the user's plans."""
        if db_field.name == "measure":
            plans = self.admin_site.administered_plans(request)
            kwargs["queryset"] = Measure.objects.filter(plan__in=plans).in_number_order()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        mark_plan_changed(obj.plan_id)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        plan_id = obj.plan_id
        super().delete_model(request, obj)
        mark_plan_changed(plan_id)


class RegisterForm(forms.ModelForm):
    """A register; its internal fields are chosen from those that may be internal."""

    internal_fields = forms.MultipleChoiceField(
        label=_("Internal fields"),
        required=False,
        choices=[(name, name) for name in MAY_BE_INTERNAL],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Not shown on public pages"),
    )

    class Meta:
        model = Register
        fields = (
            "plan",
            "slug",
            "name",
            "description",
            "quantity",
            "indicator_name",
            "lead_offices",
            "internal_fields",
            "order",
        )


@admin.register(Register)
class RegisterAdmin(PlanScopedAdmin):
    """The registers of 2-84: what they count, who leads them, which fields are internal.
    A new register gets its aggregate indicator when saved."""

    form = RegisterForm
    list_display = ("name", "slug", "quantity", "indicator", "plan")
    list_filter = ("plan",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        ensure_register_indicator(obj)
        mark_plan_changed(obj.plan_id)


@admin.register(RegisterEntry)
class RegisterEntryAdmin(PlanScopedAdmin):
    """Register entries, read-only here: they are maintained in the staff area
    (/intern/kataster/), where every change updates the aggregate indicator."""

    plan_lookup = "register__plan"
    list_display = (
        "designation",
        "register",
        "municipality",
        "quantity",
        "status",
        "changed_at",
        "changed_by",
        "source_file",
        "source_row",
    )
    list_filter = ("register", "status", "municipality")
    search_fields = ("designation",)
    list_select_related = ("register", "municipality", "changed_by")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
