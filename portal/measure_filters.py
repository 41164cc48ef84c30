"""The filters of the measure list: a GET form whose values live in the URL."""

from __future__ import annotations

import html
from collections.abc import Container, Mapping
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.forms import BoundField, ChoiceField
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from indicators.reads import measures_concerning, municipality_choices
from monitoring.models import StatusOption
from monitoring.rollups import measure_ids_with_status
from plans.measure_order import measure_ids_in_number_order
from plans.models import KeyProject, Measure, MeasureFacet, Node, Organisation, Plan

PRIORITIES = [("3", "+++"), ("2", "++"), ("1", "+")]
Facet = MeasureFacet.Facet


def _option_rows(plan: Plan) -> dict[str, list[Any]]:
    """The rows behind the select options, by kind, each in its order.

    node: (level, key, code, label) of levels 1–3 in document order; organisation:
    (abbreviation, name) by abbreviation; key_project: codes by field and code; status:
    (key, label) by order.
    """
    return {
        "node": list(
            Node.objects.filter(plan=plan, level__lte=3)
            .in_document_order()
            .values_list("level", "key", "code", "label")
        ),
        "organisation": list(
            Organisation.objects.filter(plan=plan)
            .order_by("abbreviation", "pk")
            .values_list("abbreviation", "name")
        ),
        "key_project": list(
            KeyProject.objects.filter(plan=plan)
            .order_by("field_number", "code", "pk")
            .values_list("code", flat=True)
        ),
        "status": list(
            StatusOption.objects.filter(plan=plan)
            .order_by("order", "pk")
            .values_list("key", "label")
        ),
    }


def facet_ids(plan: Plan, criteria: list[tuple[str, str]]) -> list[int]:
    """The measures having every given facet value, by id in number order.

    One query reads the measure lists of the values and intersects them here: a few rows
    whatever the plan's size, where joining placements with their leads, participants and key
    projects grows with it.
    """
    wanted = Q()
    for facet, value in criteria:
        wanted |= Q(facet=facet, value=value)
    rows = MeasureFacet.objects.filter(wanted, plan=plan)
    found = {
        (facet, value): ids
        for facet, value, ids in rows.values_list("facet", "value", "measure_ids")
    }
    # The shortest list drives; the lists and so the result are in number order.
    shortest, *others = sorted((found.get(criterion, []) for criterion in criteria), key=len)
    ids: list[int] = shortest
    for other in others:
        kept = set(other)
        ids = [pk for pk in ids if pk in kept]
    return ids


class MatchingIds:
    """Matching measures by id in number order, for a Paginator: the page's measures take
    one query, whatever the number of matches."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids

    def keep(self, allowed: Container[int]) -> None:
        """Keep only the measures among allowed."""
        self.ids = [pk for pk in self.ids if pk in allowed]

    def restrict(self, measure_ids: QuerySet) -> None:
        """Keep only the measures among the ids a subquery gives (one query)."""
        self.keep(set(Measure.objects.filter(pk__in=measure_ids).values_list("pk", flat=True)))

    def count(self) -> int:
        """Number of matching measures."""
        return len(self.ids)

    def __getitem__(self, index: slice) -> list[Measure]:
        ids = self.ids[index]
        measures = {m.pk: m for m in Measure.objects.filter(pk__in=ids).order_by()}
        return [measures[pk] for pk in ids if pk in measures]  # deleted since the last refresh


class MeasureFilterForm(forms.Form):
    """Filters that combine (AND): a measure matches if some placement meets each one.

    The status filter looks at each measure's current status.
    """

    feld = forms.ChoiceField(required=False)
    leitziel = forms.ChoiceField(required=False)
    teilziel = forms.ChoiceField(required=False)
    federfuehrung = forms.ChoiceField(required=False, label=_("Lead"))
    beteiligt = forms.ChoiceField(required=False, label=_("Participant"))
    prioritaet = forms.ChoiceField(required=False, label=_("Priority"))
    sv = forms.ChoiceField(required=False, label=_("Key project"))
    status = forms.ChoiceField(required=False, label=_("Status"))
    gemeinde = forms.ChoiceField(required=False, label=_("Town or municipality"))
    kommission = forms.BooleanField(
        required=False, label=_("Only measures from the commission's final report")
    )

    def __init__(self, data: Mapping[str, Any] | None, plan: Plan) -> None:
        super().__init__(data)
        self.plan = plan
        everything: list[tuple[str, Any]] = [("", _("all"))]
        rows = _option_rows(plan)
        nodes = rows["node"]
        fields = {
            name: field for name, field in self.fields.items() if isinstance(field, ChoiceField)
        }
        fields["feld"].label = plan.level_name(1)
        fields["leitziel"].label = plan.level_name(2)
        fields["teilziel"].label = plan.level_name(3)
        for name, level in (("feld", 1), ("leitziel", 2), ("teilziel", 3)):
            fields[name].choices = everything + [
                (key, f"{code} {label}") for n_level, key, code, label in nodes if n_level == level
            ]
        organisations = everything + [
            (abbreviation, abbreviation if name == abbreviation else f"{abbreviation} – {name}")
            for abbreviation, name in rows["organisation"]
        ]
        fields["federfuehrung"].choices = organisations
        fields["beteiligt"].choices = organisations
        fields["prioritaet"].choices = everything + PRIORITIES
        fields["sv"].choices = everything + [(code, code) for code in rows["key_project"]]
        fields["status"].choices = everything + [(key, label) for key, label in rows["status"]]
        fields["gemeinde"].choices = everything + municipality_choices()
        for name, form_field in self.fields.items():
            css = "kern-form-check__checkbox" if name == "kommission" else "kern-form-input__select"
            form_field.widget.attrs["class"] = css

    def selects(self) -> list[tuple[BoundField, SafeString]]:
        """The select fields with their <option> elements, rendered in plain Python.

        Django's Select widget renders each of the ~700 options through a template: 51 ms
        for these selects against 1 ms here, more than the rest of the uncached page.
        """
        result = []
        for bound in self:
            if bound.name == "kommission":
                continue
            field = bound.field
            assert isinstance(field, ChoiceField)
            current = str(bound.value() or "")
            options = "".join(
                f'<option value="{html.escape(str(value))}"'
                f"{' selected' if str(value) == current else ''}>{html.escape(str(label))}</option>"
                for value, label in cast(list[tuple[Any, Any]], field.choices)  # set in __init__
            )
            result.append((bound, mark_safe(options)))  # every value and label escaped above
        return result

    @property
    def active(self) -> bool:
        """True if any filter is set."""
        return self.is_valid() and any(self.cleaned_data.values())

    def facet_criteria(self) -> list[tuple[str, str]]:
        """The valid filters as facet values; the status is not a facet (see `matches`)."""
        data = self.cleaned_data
        criteria = [
            (Facet.FIELD, str(int(data["feld"])) if data["feld"] else ""),
            (Facet.GOAL, data["leitziel"]),
            (Facet.SUBGOAL, data["teilziel"]),
            (Facet.LEAD, data["federfuehrung"]),
            (Facet.PARTICIPANT, data["beteiligt"]),
            (Facet.PRIORITY, data["prioritaet"]),
            (Facet.KEY_PROJECT, data["sv"]),
            (Facet.COMMISSION, "1" if data["kommission"] else ""),
        ]
        return [(facet, value) for facet, value in criteria if value]

    def matches(self) -> QuerySet[Measure] | MatchingIds:
        """The measures that pass every valid filter (invalid ones are shown as errors).

        A measure passes a filter if some placement meets it; each filter may be met by a
        different placement. The status filter looks at the current status, counted as the
        roll-ups count it (`monitoring.rollups.measure_ids_with_status`).
        """
        measures = Measure.objects.filter(plan=self.plan).in_number_order()
        if not self.is_valid():
            return measures
        status, ags = self.cleaned_data["status"], self.cleaned_data["gemeinde"]
        criteria = self.facet_criteria()
        if not criteria and not status:
            return (
                measures.filter(pk__in=measures_concerning(self.plan, ags).values("pk"))
                if ags
                else measures
            )
        matches = MatchingIds(
            facet_ids(self.plan, criteria) if criteria else measure_ids_in_number_order(self.plan)
        )
        if status:
            matches.keep(measure_ids_with_status(self.plan, status))
        if ags:
            matches.restrict(measures_concerning(self.plan, ags).values("pk"))
        return matches
