"""How a report's stored values read on the staff pages (history, conflict): German text."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from .forms import step_targets
from .models import StatusOption, StatusReport, StepProgress

StepKey = tuple[int | None, int | None]  # (placement id, step id)


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
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return date_format(localtime(value), "d.m.Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "m/Y" if name == "expected_completion" else "d.m.Y")
    return str(value)


def step_state(value: str | None) -> str:
    """A step's state as text; a step without a record is open."""
    return str(StepProgress.State(value or StepProgress.State.OPEN).label)


def step_labels(report: StatusReport) -> dict[StepKey, str]:
    """The report's steps and building blocks by key, labelled as the form labels them."""
    labels = {}
    for target in step_targets(report):
        if target.placement is not None:
            labels[(target.placement.pk, None)] = target.label
        else:
            labels[(None, target.step.pk if target.step else None)] = target.label
    return labels
