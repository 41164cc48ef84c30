"""Define an indicator (CLI and back office): links, targets and its definition's versions."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from indicators.models import Direction, Indicator, IndicatorDefinition, Target
from indicators.models.indicator import DEFINING_FIELDS
from plans.models import Measure, Node, Plan
from plans.services import mark_plan_changed

from .errors import IndicatorError

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class TargetSpec:
    """A target value for a year."""

    value: Decimal
    year: int


def _measures(plan: Plan, numbers: Sequence[str]) -> list[Measure]:
    found = {m.number: m for m in Measure.objects.filter(plan=plan, number__in=numbers)}
    unknown = [number for number in numbers if number not in found]
    if unknown:
        raise IndicatorError(
            _("Unknown measure number(s) in this plan: %(numbers)s")
            % {"numbers": ", ".join(unknown)}
        )
    return [found[number] for number in numbers]


def _goals(plan: Plan, codes: Sequence[str]) -> list[Node]:
    found = {n.code: n for n in Node.objects.filter(plan=plan, level__in=(2, 3), code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise IndicatorError(
            _("Unknown goal or subgoal number(s) in this plan: %(codes)s")
            % {"codes": ", ".join(unknown)}
        )
    return [found[code] for code in codes]


def _check(slug: str, direction: str, targets: Sequence[TargetSpec], band: Any) -> None:
    if not _SLUG.match(slug):
        raise IndicatorError(
            _("The short key “%(slug)s” may contain only a-z, 0-9 and hyphens.") % {"slug": slug}
        )
    if direction not in Direction.values:
        raise IndicatorError(
            _("Unknown direction “%(direction)s”; possible: %(choices)s")
            % {"direction": direction, "choices": ", ".join(Direction.values)}
        )
    years = [target.year for target in targets]
    if len(set(years)) != len(years):
        raise IndicatorError(_("Each target year may occur only once."))
    if any(not 2000 <= year <= 2100 for year in years):
        raise IndicatorError(_("Target years lie between 2000 and 2100."))
    if direction == Direction.BAND and (band is None or band[0] > band[1]):
        raise IndicatorError(_("A target band needs a lower and an upper bound (low ≤ high)."))


def record_redefinition(
    indicator: Indicator, changed: Iterable[str], user: Any = None, note: str = ""
) -> bool:
    """Record the indicator's current definition as a new version if a defining field changed.

    Values keep the version they were recorded under, so a redefinition never silently
    applies to old values. Returns whether a version was added.
    """
    if not set(changed) & set(DEFINING_FIELDS) and indicator.definitions.exists():
        return False
    latest = indicator.definitions.order_by("-version").first()
    version = latest.version + 1 if latest else 1
    Indicator.objects.filter(pk=indicator.pk).update(version=version)
    indicator.version = version
    IndicatorDefinition.objects.create(
        indicator=indicator,
        version=version,
        note=note,
        recorded_by=user if user is not None and user.is_authenticated else None,
        **{name: getattr(indicator, name) for name in DEFINING_FIELDS},
    )
    return True


@transaction.atomic
def define_indicator(
    plan: Plan,
    *,
    slug: str,
    name: str,
    unit: str,
    direction: str = Direction.UP,
    short_name: str = "",
    definition: str = "",
    source: str = "",
    licence: str = "",
    precision: int = 0,
    band: tuple[Decimal, Decimal] | None = None,
    measures: Sequence[str] = (),
    goals: Sequence[str] = (),
    targets: Sequence[TargetSpec] = (),
    user: Any = None,
    note: str = "",
) -> tuple[Indicator, str]:
    """Create or redefine an indicator with exactly these links and targets.

    Returns the indicator and what happened: "created", "redefined" (a defining field
    changed: a new version), "updated" (links, targets or display only) or "unchanged".
    """
    _check(slug, direction, targets, band)
    measure_rows, goal_rows = _measures(plan, measures), _goals(plan, goals)
    fields = {
        "name": name,
        "unit": unit,
        "direction": direction,
        "short_name": short_name,
        "definition": definition,
        "source": source,
        "licence": licence,
        "precision": precision,
        "band_low": band[0] if band else None,
        "band_high": band[1] if band else None,
    }
    indicator = Indicator.objects.filter(plan=plan, slug=slug).first()
    if indicator is None:
        indicator = Indicator.objects.create(plan=plan, slug=slug, **fields)
        record_redefinition(indicator, DEFINING_FIELDS, user, note)
        outcome = "created"
    else:
        changed = [key for key, value in fields.items() if getattr(indicator, key) != value]
        for key in changed:
            setattr(indicator, key, fields[key])
        if changed:
            indicator.save(update_fields=changed)
        redefined = record_redefinition(indicator, changed, user, note)
        outcome = "redefined" if redefined else ("updated" if changed else "unchanged")
    old_links = (
        {m.pk for m in indicator.measures.all()},
        {g.pk for g in indicator.goals.all()},
        {(t.value, t.year) for t in indicator.targets.all()},
    )
    new_links = (
        {m.pk for m in measure_rows},
        {g.pk for g in goal_rows},
        {(Decimal(t.value), t.year) for t in targets},
    )
    if old_links != new_links:
        indicator.measures.set(measure_rows)
        indicator.goals.set(goal_rows)
        indicator.targets.all().delete()
        Target.objects.bulk_create(
            Target(indicator=indicator, value=t.value, year=t.year) for t in targets
        )
        if outcome == "unchanged":
            outcome = "updated"
    if outcome != "unchanged":
        mark_plan_changed(plan.pk)
    return indicator, outcome
