"""Forms of the staff area: they check types only; services decide what is allowed."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.db.models import Prefetch, Q
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from plans.models import Placement, PlacementLead, Plan, Step

from .models import StatusOption, StatusReport, StepProgress
from .services.rounds import REOPEN_REASON_LIMIT


def _model_field(name: str) -> models.Field[Any, Any]:
    field = StatusReport._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def _model_label(name: str) -> Any:
    return _model_field(name).verbose_name


def _model_help(name: str) -> Any:
    return _model_field(name).help_text


def _limit_help(name: str, hint: str = "") -> str:
    """The field's hint plus how many characters it takes, e.g. "… At most 4.000 characters."."""
    limit = number_format(StatusReport.TEXT_LIMITS[name], force_grouping=True)
    text = gettext("At most %(limit)s characters.") % {"limit": limit}
    return f"{gettext(hint)} {text}" if hint else text


_limit_help_lazy = lazy(_limit_help, str)


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


# A German amount with thousands separators: "12.500" or "12.500,50".
_GROUPED_AMOUNT = re.compile(r"^\d{1,3}(\.\d{3})+(,\d*)?$")


class EuroAmountField(forms.DecimalField):
    """An amount in euros typed the German way: "12500,50", "12.500,50" or "12.500,50 €".

    Django's localized input drops thousands separators only with USE_THOUSAND_SEPARATOR,
    which would also group every number the portal prints; this field accepts them itself.
    """

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        """A stored amount shows grouped, "1.250.000,00"; typed text stays as typed."""
        if isinstance(value, Decimal | int):
            return number_format(value, self.decimal_places, use_l10n=True, force_grouping=True)
        return super().prepare_value(value)

    # django-stubs type DecimalField.to_python as its base IntegerField's (int | None).
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = "".join(value.replace("€", "").split())  # also no-break spaces
            if _GROUPED_AMOUNT.match(value):
                value = value.replace(".", "")
        return super().to_python(value)


@dataclass(frozen=True)
class StepTarget:
    """A building block or step of a measure whose progress the report states.

    `text` is the block's title or the step's wording, `context` where it belongs and who
    leads it (empty when the measure has one row only), `is_own` whether the report's lead
    organisation leads it.
    """

    field_name: str
    text: str
    placement: Placement | None = None
    step: Step | None = None
    context: str = ""
    is_own: bool = True

    @property
    def is_block(self) -> bool:
        return self.placement is not None

    @property
    def label(self) -> str:
        """The text with its context, as the history and the conflict page name it."""
        return f"{self.text} ({self.context})" if self.context else self.text


# How much of a row's or block's wording a step's context quotes.
CONTEXT_TITLE_LENGTH = 70


def _leads_text(placement: Placement) -> str:
    """The placement's leads as printed in order, e.g. "SLR, VA"."""
    return ", ".join(row.organisation.abbreviation for row in placement.lead_rows.all())


def _placement_context(placement: Placement) -> str:
    """Where a step belongs: its building block or the measure's row, and who leads it."""
    title = Truncator(placement.title or placement.number_cell).chars(CONTEXT_TITLE_LENGTH)
    if placement.parent_id is not None:
        where = gettext("building block “%(title)s”") % {"title": title}
    else:
        where = gettext("under “%(title)s” (field of action %(field)s)") % {
            "title": title,
            "field": placement.field_number,
        }
    leads = _leads_text(placement)
    return (
        gettext("%(where)s · lead: %(leads)s") % {"where": where, "leads": leads}
        if leads
        else where
    )


def step_targets(report: StatusReport) -> list[StepTarget]:
    """The measure's building blocks and steps: each block followed by its steps.

    In document order, the ones the report's lead organisation leads first. When the measure
    has several rows or blocks, each target names its block or row and its leads.
    """
    measure_id = report.measure_id
    placements = list(
        Placement.objects.filter(Q(measure_id=measure_id) | Q(parent__measure_id=measure_id))
        .in_document_order()
        .prefetch_related(
            Prefetch(
                "lead_rows",
                queryset=PlacementLead.objects.select_related("organisation").order_by("position"),
            )
        )
    )
    steps_of: dict[int, list[Step]] = {}
    for step in Step.objects.filter(placement__in=[p.pk for p in placements]).order_by(
        "order", "pk"
    ):
        steps_of.setdefault(step.placement_id, []).append(step)
    with_context = len(placements) > 1
    targets = []
    for placement in placements:
        is_own = any(
            row.organisation_id == report.organisation_id for row in placement.lead_rows.all()
        )
        if placement.parent_id is not None:
            targets.append(
                StepTarget(
                    f"block_{placement.pk}",
                    gettext("Building block: %(title)s")
                    % {"title": placement.title or placement.number_cell},
                    placement=placement,
                    context=gettext("lead: %(leads)s") % {"leads": _leads_text(placement)}
                    if with_context and placement.lead_rows.all()
                    else "",
                    is_own=is_own,
                )
            )
        context = _placement_context(placement) if with_context else ""
        targets += [
            StepTarget(f"step_{step.pk}", step.text, step=step, context=context, is_own=is_own)
            for step in steps_of.get(placement.pk, [])
        ]
    # Stable: document order within the own and the other targets.
    return sorted(targets, key=lambda target: not target.is_own)


class ReportForm(forms.Form):
    """The values of a status report an office sets, plus the version it started from."""

    # Optional while saving a draft, checked on submitting (`services.submit_report`): the
    # form marks them "needed to submit" instead of "optional".
    NEEDED_TO_SUBMIT = ("status", "progress")

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
        max_length=StatusReport.TEXT_LIMITS["summary"],
        label=_model_label("summary"),
        help_text=_limit_help_lazy("summary", gettext_noop("Where does the measure stand?")),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    next_steps = forms.CharField(
        required=False,
        max_length=StatusReport.TEXT_LIMITS["next_steps"],
        label=_model_label("next_steps"),
        help_text=_limit_help_lazy("next_steps"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    obstacles = forms.CharField(
        required=False,
        max_length=StatusReport.TEXT_LIMITS["obstacles"],
        label=_model_label("obstacles"),
        help_text=_limit_help_lazy("obstacles"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    funding_programme = forms.CharField(
        required=False,
        max_length=StatusReport.TEXT_LIMITS["funding_programme"],
        label=_model_label("funding_programme"),
        help_text=_limit_help_lazy("funding_programme"),
    )
    funding_state = forms.ChoiceField(
        required=False,
        choices=StatusReport.FundingState.choices,
        label=_model_label("funding_state"),
    )
    funding_amount = EuroAmountField(
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        label=_model_label("funding_amount"),
        help_text=_("In euros, e.g. 12.500,00"),
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
        super().__init__(data, initial=dict(initial) if initial is not None else None)
        status = self.fields["status"]
        assert isinstance(status, forms.ModelChoiceField)
        status.queryset = StatusOption.objects.filter(plan=plan)
        for name in self.NEEDED_TO_SUBMIT:
            self.fields[name].needed_to_submit = True  # type: ignore[attr-defined]
        # No maxlength in the browser: it would cut a pasted text silently. A text too long
        # comes back in full with the German message at its field.
        for name in StatusReport.TEXT_LIMITS:
            self.fields[name].widget.attrs.pop("maxlength", None)
        self.steps = list(steps)
        for target in self.steps:
            self.fields[target.field_name] = forms.ChoiceField(
                choices=StepProgress.State.choices,
                label=target.text,
                help_text=target.context,
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

    def changed_steps(self) -> list[tuple[StepTarget, StepProgress.State]]:
        """Steps and blocks whose state the user changed."""
        return [
            (target, StepProgress.State(self.cleaned_data[target.field_name]))
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
            "own_steps": [self[t.field_name] for t in self.steps if t.is_own],
            "other_steps": [self[t.field_name] for t in self.steps if not t.is_own],
        }


class ReturnForm(forms.Form):
    """Why the coordination returns a report."""

    comment = forms.CharField(
        label=_("Comment for the office"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class ReopenRoundForm(forms.Form):
    """Why the coordination reopens a closed round (logged with the reopening)."""

    reason = forms.CharField(
        label=_("Reason for reopening"),
        help_text=_("Recorded in the round's log, e.g. “AfS submits a correction of 2-84”"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REOPEN_REASON_LIMIT,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # As in the report form: a too long reason comes back in full with the message.
        self.fields["reason"].widget.attrs.pop("maxlength", None)

    def add_service_errors(self, errors: Mapping[str, list[str]]) -> None:
        """Show the services' German messages at their fields (or above the form)."""
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


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
        choices = {
            name: field
            for name, field in self.fields.items()
            if isinstance(field, forms.ChoiceField)
        }
        choices["runde"].choices = list(rounds)
        choices["stand"].choices = [
            ("", _("all")),
            ("outstanding", _("still to submit (missing, draft, returned)")),
            *states,
        ]
        choices["feld"].choices = [("", _("all")), *fields.items()]

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
