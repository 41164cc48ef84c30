"""Forms of the staff area: they check types only; services decide what is allowed."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.models import Placement, Plan, Step

from .models import StatusOption, StatusReport, StepProgress


def _model_label(name: str) -> Any:
    return StatusReport._meta.get_field(name).verbose_name


def _model_help(name: str) -> Any:
    return StatusReport._meta.get_field(name).help_text


class MonthInput(forms.DateInput):
    """`<input type="month">`: browsers offer a month picker; the value is YYYY-MM."""

    input_type = "month"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month and year (stored as the first day of the month)."""

    widget = MonthInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m", "%m.%Y", "%m/%Y"])
        kwargs.setdefault(
            "error_messages", {"invalid": _("Enter a month as YYYY-MM, e.g. 2027-06.")}
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime.date | None:
        result = super().to_python(value)
        return result.replace(day=1) if result else None


@dataclass(frozen=True)
class StepTarget:
    """A building block or step of a measure whose progress the report states."""

    field_name: str
    label: str
    placement: Placement | None = None
    step: Step | None = None

    @property
    def is_block(self) -> bool:
        return self.placement is not None


def step_targets(report: StatusReport) -> list[StepTarget]:
    """The measure's building blocks and steps, in document order."""
    measure_id = report.measure_id
    targets = [
        StepTarget(f"block_{block.pk}", block.title or block.number_cell, placement=block)
        for block in Placement.objects.filter(parent__measure_id=measure_id).in_document_order()
    ]
    steps = Step.objects.filter(placement__measure_id=measure_id) | Step.objects.filter(
        placement__parent__measure_id=measure_id
    )
    targets += [
        StepTarget(f"step_{step.pk}", step.text, step=step)
        for step in steps.distinct().order_by("placement__order", "order", "pk")
    ]
    return targets


class ReportForm(forms.Form):
    """The values of a status report an office sets, plus the version it started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ModelChoiceField(
        queryset=StatusOption.objects.none(),
        required=False,
        label=_model_label("status"),
        empty_label=_("– choose –"),
    )
    progress = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=100,
        label=_model_label("progress"),
        help_text=_model_help("progress"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    summary = forms.CharField(
        required=False,
        label=_model_label("summary"),
        help_text=_("Where does the measure stand?"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    next_steps = forms.CharField(
        required=False, label=_model_label("next_steps"), widget=forms.Textarea(attrs={"rows": 3})
    )
    obstacles = forms.CharField(
        required=False, label=_model_label("obstacles"), widget=forms.Textarea(attrs={"rows": 3})
    )
    funding_programme = forms.CharField(
        required=False, max_length=300, label=_model_label("funding_programme")
    )
    funding_state = forms.ChoiceField(
        required=False,
        choices=StatusReport.FundingState.choices,
        label=_model_label("funding_state"),
    )
    funding_amount = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        localize=True,
        label=_model_label("funding_amount"),
        help_text=_("In euros, e.g. 12500,00"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    expected_completion = MonthField(
        required=False,
        label=_model_label("expected_completion"),
        help_text=_("Month and year"),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        plan: Plan,
        steps: Iterable[StepTarget] = (),
        initial: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        status = self.fields["status"]
        assert isinstance(status, forms.ModelChoiceField)
        status.queryset = StatusOption.objects.filter(plan=plan)
        self.steps = list(steps)
        for target in self.steps:
            self.fields[target.field_name] = forms.ChoiceField(
                choices=StepProgress.State.choices,
                label=target.label,
                required=True,
            )

    @classmethod
    def for_report(cls, report: StatusReport, data: Mapping[str, Any] | None = None) -> ReportForm:
        """The form of a report, filled with its stored values (and the posted ones, if any)."""
        steps = step_targets(report)
        states = {(p.placement_id, p.step_id): p.state for p in report.step_progress.all()}
        initial: dict[str, Any] = {
            name: getattr(report, name) for name in StatusReport.USER_EDITABLE_FIELDS
        }
        initial["version"] = report.version
        for target in steps:
            key = (
                (target.placement.pk, None) if target.placement else (None, target.step.pk)  # type: ignore[union-attr]
            )
            initial[target.field_name] = states.get(key, StepProgress.State.OPEN)
        return cls(data, plan=report.reporting_round.plan, steps=steps, initial=initial)

    def report_values(self) -> dict[str, Any]:
        """The cleaned values of the report's own fields, for `services.save_report`."""
        return {name: self.cleaned_data[name] for name in StatusReport.USER_EDITABLE_FIELDS}

    def changed_steps(self) -> list[tuple[StepTarget, str]]:
        """Steps and blocks whose state the user changed."""
        return [
            (target, self.cleaned_data[target.field_name])
            for target in self.steps
            if self.cleaned_data[target.field_name] != self.initial.get(target.field_name)
        ]

    def add_service_errors(self, errors: Mapping[str, list[str]]) -> None:
        """Show the services' German messages at their fields (or above the form).

        Works on an unbound form, too (submitting a stored report that is incomplete).
        """
        _ = self.errors  # runs full_clean, which leaves an unbound form without cleaned_data
        if not hasattr(self, "cleaned_data"):
            self.cleaned_data = {}
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)

    def field_groups(self) -> dict[str, list[forms.BoundField]]:
        """The fields in the sections of the page."""
        return {
            "state": [self["status"], self["progress"], self["expected_completion"]],
            "text": [self["summary"], self["next_steps"], self["obstacles"]],
            "funding": [
                self["funding_programme"],
                self["funding_state"],
                self["funding_amount"],
            ],
            "steps": [self[t.field_name] for t in self.steps],
        }


class ReturnForm(forms.Form):
    """Why the coordination returns a report."""

    comment = forms.CharField(
        label=_("Comment for the office"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class RoundForm(forms.Form):
    """A new reporting round."""

    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("e.g. “Monitoring 2026”"))
    reporting_date = forms.DateField(
        label=_("Reporting date"),
        help_text=_("The reports describe the state on this day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        help_text=_("By when the offices submit"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def add_service_errors(self, errors: Mapping[str, list[str]]) -> None:
        """Show the services' German messages at their fields (or above the form)."""
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class MyMeasuresFilterForm(forms.Form):
    """The filters of Meine Maßnahmen: a GET form whose values live in the URL.

    Invalid values are shown at their field and ignored; without a round the newest open one.
    """

    runde = forms.TypedChoiceField(label=_("Reporting round"), coerce=int, required=False)
    stand = forms.ChoiceField(label=_("Report state"), required=False)
    feld = forms.TypedChoiceField(
        label=_("Field of action"), coerce=int, required=False, empty_value=None
    )
    q = forms.CharField(
        label=_("Number or title"),
        required=False,
        max_length=100,
        help_text=_("e.g. “2-84” or “Radweg”"),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None,
        *,
        rounds: Iterable[tuple[int, str]],
        states: Iterable[tuple[str, Any]],
        fields: Mapping[int, str],
    ) -> None:
        super().__init__(data)
        self.fields["runde"].choices = list(rounds)
        self.fields["stand"].choices = [
            ("", _("all")),
            ("outstanding", _("still to submit (missing, draft, returned)")),
            *states,
        ]
        self.fields["feld"].choices = [("", _("all")), *fields.items()]

    def value_of(self, name: str) -> Any:
        """The field's valid value, else its empty value (an invalid filter is ignored)."""
        if not self.is_bound:
            return None
        self.is_valid()  # cleans once; invalid fields are left out of cleaned_data
        return self.cleaned_data.get(name)

    @property
    def active(self) -> bool:
        """Whether a filter other than the round narrows the list."""
        return any(self.value_of(name) for name in ("stand", "feld", "q"))
