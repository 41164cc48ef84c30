"""The plan's configurable statuses and the Daueraufgabe suggestion."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy

from monitoring.models import StatusOption
from plans.models import Measure, Placement, Plan

# key, label, continuing task – the German defaults of every plan (labels stay editable).
DEFAULT_STATUSES: tuple[tuple[str, Any, bool], ...] = (
    ("not_started", gettext_lazy("not started"), False),
    ("in_preparation", gettext_lazy("in preparation"), False),
    ("in_progress", gettext_lazy("being implemented"), False),
    ("implemented", gettext_lazy("implemented"), False),
    ("continuous", gettext_lazy("continuing task (ongoing)"), True),
    ("delayed", gettext_lazy("delayed"), False),
    ("deferred", gettext_lazy("deferred"), False),
    ("dropped", gettext_lazy("dropped"), False),
)

# Wording by which the document marks a measure as a continuing task.
_CONTINUOUS_WORDING = re.compile(
    r"ständige[rn]?\s+Aufgabe|jährlich|Fortführung|Fortschreibung", re.IGNORECASE
)


def ensure_default_statuses(plan: Plan) -> list[StatusOption]:
    """Create the default statuses a plan lacks (by key); return all of the plan's statuses."""
    existing = set(StatusOption.objects.filter(plan=plan).values_list("key", flat=True))
    StatusOption.objects.bulk_create(
        [
            StatusOption(
                plan=plan, key=key, label=str(label), order=order, is_continuous=continuous
            )
            for order, (key, label, continuous) in enumerate(DEFAULT_STATUSES)
            if key not in existing
        ]
    )
    return list(StatusOption.objects.filter(plan=plan))


def suggest_continuous(measure: Measure) -> bool:
    """Whether the document's wording marks the measure as a continuing task (Daueraufgabe)."""
    texts = [measure.title]
    for title, text in Placement.objects.filter(measure=measure).values_list("title", "text"):
        texts += [title, text]
    return any(_CONTINUOUS_WORDING.search(" ".join(t.split())) for t in texts if t)
