"""The filters of the measure list: a GET form whose values live in the URL."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.forms import BoundField
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from monitoring.models import StatusOption
from monitoring.reads import measures_with_status
from plans.models import KeyProject, Measure, Node, Organisation, Placement, Plan

PRIORITIES = [("3", "+++"), ("2", "++"), ("1", "+")]


class MeasureFilterForm(forms.Form):
    """Filters that combine (AND): a measure matches if some placement meets each one.

    The status filter looks at the newest published report of each measure.
    """

    feld = forms.ChoiceField(required=False)
    leitziel = forms.ChoiceField(required=False)
    teilziel = forms.ChoiceField(required=False)
    federfuehrung = forms.ChoiceField(required=False, label=_("Lead"))
    beteiligt = forms.ChoiceField(required=False, label=_("Participant"))
    prioritaet = forms.ChoiceField(required=False, label=_("Priority"))
    sv = forms.ChoiceField(required=False, label=_("Key project"))
    status = forms.ChoiceField(required=False, label=_("Status"))
    kommission = forms.BooleanField(
        required=False, label=_("Only measures from the commission's final report")
    )

    def __init__(self, data: object, plan: Plan) -> None:
        super().__init__(data)
        self.plan = plan
        everything = [("", _("all"))]
        nodes = list(Node.objects.filter(plan=plan, level__lte=3).in_document_order())
        fields = self.fields
        fields["feld"].label = plan.level_name(1)
        fields["leitziel"].label = plan.level_name(2)
        fields["teilziel"].label = plan.level_name(3)
        fields["feld"].choices = everything + [
            (n.key, f"{n.code} {n.label}") for n in nodes if n.level == 1
        ]
        fields["leitziel"].choices = everything + [
            (n.key, f"{n.code} {n.label}") for n in nodes if n.level == 2
        ]
        fields["teilziel"].choices = everything + [
            (n.key, f"{n.code} {n.label}") for n in nodes if n.level == 3
        ]
        organisations = [
            (
                o.abbreviation,
                o.abbreviation if o.name == o.abbreviation else f"{o.abbreviation} – {o.name}",
            )
            for o in Organisation.objects.filter(plan=plan).order_by("abbreviation")
        ]
        fields["federfuehrung"].choices = everything + organisations
        fields["beteiligt"].choices = everything + organisations
        fields["prioritaet"].choices = everything + PRIORITIES
        fields["sv"].choices = everything + [
            (k.code, k.code) for k in KeyProject.objects.filter(plan=plan)
        ]
        fields["status"].choices = everything + [
            (o.key, o.label) for o in StatusOption.objects.filter(plan=plan).order_by("order")
        ]
        for name, form_field in fields.items():
            css = "kern-form-check__input" if name == "kommission" else "kern-form-input__select"
            form_field.widget.attrs["class"] = css

    def selects(self) -> list[tuple[BoundField, SafeString]]:
        """The select fields with their <option> elements, rendered in plain Python.

        Django's per-option widget templates took most of the page's time (~700 options).
        """
        result = []
        for bound in self:
            if bound.name == "kommission":
                continue
            current = str(bound.value() or "")
            options = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (value, " selected" if str(value) == current else "", label)
                    for value, label in bound.field.choices
                ),
            )
            result.append((bound, options))
        return result

    @property
    def active(self) -> bool:
        """True if any filter is set."""
        return self.is_valid() and any(self.cleaned_data.values())

    def filter(self, measures: QuerySet[Measure]) -> QuerySet[Measure]:
        """The measures that pass every valid filter (invalid ones are shown as errors)."""
        if not self.is_valid():
            return measures
        data = self.cleaned_data
        placements = Placement.objects.filter(plan=self.plan)
        criteria: list[Q] = []
        if data["feld"]:
            criteria.append(Q(field_number=int(data["feld"])))
        if data["leitziel"]:
            criteria.append(Q(goal_code=data["leitziel"]))
        if data["teilziel"]:
            key = data["teilziel"]
            criteria.append(Q(node__key=key) | Q(node__key__startswith=f"{key}."))
        if data["federfuehrung"]:
            criteria.append(Q(lead_rows__organisation__abbreviation=data["federfuehrung"]))
        if data["beteiligt"]:
            criteria.append(Q(participant_rows__organisation__abbreviation=data["beteiligt"]))
        if data["prioritaet"]:
            criteria.append(Q(priority_level=int(data["prioritaet"])))
        if data["sv"]:
            criteria.append(Q(key_project_rows__key_project__code=data["sv"]))
        if data["kommission"]:
            criteria.append(Q(commission=True))
        for criterion in criteria:
            measures = measures.filter(pk__in=placements.filter(criterion).values("measure_id"))
        if data["status"]:
            measures = measures.filter(pk__in=measures_with_status(self.plan, data["status"]))
        return measures
