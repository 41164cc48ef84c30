"""How a report's stored values read on the staff pages (history, conflict, read-only): German."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.formats import date_format, number_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from .forms import StepTarget, step_targets
from .models import StatusOption, StatusReport, StepProgress

StepKey = tuple[int | None, int | None]  # (placement id, step id)


def field_label(name: str) -> str:
    """The German label of a report field, e.g. "Sachstand"."""
    field = StatusReport._meta.get_field(name)
    assert isinstance(field, models.Field)
    return str(field.verbose_name)


def display(name: str, value: Any, statuses: Mapping[int, str] | None = None) -> str:
    """A report field's value as text; `statuses` maps status ids to labels (else one query)."""
    if value in (None, ""):
        return "–"
    if name == "status":
        if isinstance(value, StatusOption):
            return value.label
        if statuses is not None:
            return statuses.get(value, str(value))
        option = StatusOption.objects.filter(pk=value).first()
        return option.label if option else "–"
    field = StatusReport._meta.get_field(name)
    if isinstance(field, models.Field) and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return date_format(localtime(value), "d.m.Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "m/Y" if name == "expected_completion" else "d.m.Y")
    if name == "funding_amount":
        return euros(value)
    return str(value)


def euros(value: Decimal | float | int | str) -> str:
    """An amount the German way: "12.500,50 €"."""
    amount = Decimal(str(value))
    return f"{number_format(amount, 2, use_l10n=True, force_grouping=True)}\N{NO-BREAK SPACE}€"


def step_state(value: str | None) -> str:
    """A step's state as text; a step without a record is open."""
    return str(StepProgress.State(value or StepProgress.State.OPEN).label)


def step_labels(report: StatusReport) -> dict[StepKey, str]:
    """The report's steps and building blocks by key, labelled as the form labels them."""
    return {step_key(target): target.label for target in step_targets(report)}


def step_key(target: StepTarget) -> StepKey:
    """The (placement id, step id) under which a block's or step's progress is stored."""
    if target.placement is not None:
        return (target.placement.pk, None)
    return (None, target.step.pk if target.step is not None else None)


@dataclass(frozen=True)
class StepRow:
    """A building block or step of the report's measure with its state, for reading."""

    target: StepTarget
    state: str


def step_rows(report: StatusReport) -> list[StepRow]:
    """Every building block and step of the measure with its state (unrecorded: open)."""
    states = {(p.placement_id, p.step_id): p.state for p in report.step_progress.all()}
    rows = []
    for target in step_targets(report):
        rows.append(StepRow(target, step_state(states.get(step_key(target)))))
    return rows
