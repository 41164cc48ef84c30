"""Import indicator values from a file: a preview of new/changed/unchanged values, then all
or nothing. A changed value supersedes the old row (kept with its provenance)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.policies import can_maintain_municipality_data
from indicators.importers.values_csv import (
    ParsedValue,
    ParsedValues,
    RowProblem,
    ValueFileError,
    ValueRules,
    parse_values,
)
from indicators.models import COUNTY_AGS, Indicator, IndicatorValue, Municipality
from plans.models import Plan
from plans.services import mark_plan_changed

from .errors import ValueImportError
from .value_rows import insert_values

FIRST_YEAR = 1990
STORED_PLACES = Decimal("0.000001")
LARGEST_VALUE = Decimal(10) ** 14
BATCH = 500  # ids per UPDATE … IN (…): SQLite allows 999 variables in older builds


@dataclass
class ImportPreview:
    """What an import would do (or did, when `applied`)."""

    new: list[ParsedValue] = field(default_factory=list)
    changed: list[tuple[ParsedValue, Decimal]] = field(default_factory=list)
    unchanged: int = 0
    missing: list[RowProblem] = field(default_factory=list)
    applied: bool = False
    format: str = ""


def allowed_ags() -> frozenset[str]:
    """The county's key and the keys of its Gemeinden (as loaded)."""
    return frozenset([COUNTY_AGS, *Municipality.objects.values_list("ags", flat=True)])


def value_rules(plan: Plan, indicator: str | None = None, column: str | None = None) -> ValueRules:
    """What a value file of the plan may contain: its indicators, the county, past years."""
    return ValueRules(
        allowed_ags=allowed_ags(),
        first_year=FIRST_YEAR,
        last_year=timezone.localdate().year,
        indicators=frozenset(Indicator.objects.filter(plan=plan).values_list("slug", flat=True)),
        indicator=indicator,
        column=column,
    )


def read_value_file(data: bytes, rules: ValueRules) -> ParsedValues:
    """Parse a value file; ValueImportError (with every row problem) if anything is refused."""
    if rules.indicator and rules.indicator not in rules.indicators:
        raise ValueImportError(
            _("Indicator “%(slug)s” is not defined in this plan.") % {"slug": rules.indicator}
        )
    try:
        parsed = parse_values(data, rules)
    except ValueFileError as error:
        raise ValueImportError(str(error)) from None
    problems: list[RowProblem] = parsed.errors + [
        RowProblem(v.row, "value", _("The value is too large."))
        for v in parsed.values
        if abs(v.value) >= LARGEST_VALUE
    ]
    if problems:
        raise ValueImportError(
            _("Nothing was imported: %(count)d row(s) refused.") % {"count": len(problems)},
            sorted(problems, key=attrgetter("row")),
        )
    return parsed


def _stored(value: Decimal) -> Decimal:
    return value.quantize(STORED_PLACES)


def import_values(
    plan: Plan,
    parsed: ParsedValues,
    *,
    file_name: str,
    user: Any = None,
    apply: bool = False,
    origin: str = IndicatorValue.Origin.IMPORT,
) -> ImportPreview:
    """Compare the parsed values with those in force; with `apply`, write all in one transaction."""
    preview = ImportPreview(missing=parsed.missing, format=parsed.format)
    indicators = {
        i.slug: i
        for i in Indicator.objects.filter(plan=plan, slug__in={v.indicator for v in parsed.values})
    }
    current = {
        (row[0], row[1], row[2]): (row[3], row[4])
        for row in IndicatorValue.objects.current()
        .filter(indicator__in=indicators.values())
        .values_list("indicator_id", "ags", "year", "pk", "value")
    }
    superseded: list[int] = []
    for parsed_value in parsed.values:
        key = (indicators[parsed_value.indicator].pk, parsed_value.ags, parsed_value.year)
        before = current.get(key)
        if before is None:
            preview.new.append(parsed_value)
        elif before[1] == _stored(parsed_value.value):
            preview.unchanged += 1
        else:
            preview.changed.append((parsed_value, before[1]))
            superseded.append(before[0])
    if apply and (preview.new or preview.changed):
        _write(plan, preview, indicators, superseded, file_name, user, origin)
        preview.applied = True
    return preview


@transaction.atomic
def _write(
    plan: Plan,
    preview: ImportPreview,
    indicators: dict[str, Indicator],
    superseded: list[int],
    file_name: str,
    user: Any,
    origin: str,
) -> None:
    now = timezone.now()
    for start in range(0, len(superseded), BATCH):
        IndicatorValue.objects.filter(pk__in=superseded[start : start + BATCH]).update(
            superseded_at=now
        )
    recorded_by = user if user is not None and user.is_authenticated else None
    rows = [*preview.new, *(value for value, _old in preview.changed)]
    insert_values(
        (
            (
                indicators[v.indicator].pk,
                v.ags,
                v.year,
                v.reference_date,
                _stored(v.value),
                indicators[v.indicator].version,
                v.source[:500],
                "",
                v.row,
            )
            for v in rows
        ),
        origin=origin,
        source_file=file_name[:300],
        recorded_at=now,
        recorded_by_id=recorded_by.pk if recorded_by is not None else None,
    )
    mark_plan_changed(plan.pk)


def import_values_of_municipality(
    user: Any, plan: Plan, parsed: ParsedValues, *, file_name: str, apply: bool = False
) -> ImportPreview:
    """A value file from the staff area: a Gemeinde editor may only give values of its own
    Gemeinde (the coordination any); registers' aggregates are computed, never imported."""
    computed = set(
        Indicator.objects.filter(plan=plan, register__isnull=False).values_list("slug", flat=True)
    )
    problems = list(parsed.errors)
    for value in parsed.values:
        if value.indicator in computed:
            problems.append(
                RowProblem(
                    value.row,
                    "indicator",
                    _("“%(slug)s” is computed from its register.") % {"slug": value.indicator},
                )
            )
        elif not can_maintain_municipality_data(user, plan, value.ags):
            problems.append(
                RowProblem(
                    value.row,
                    "ags",
                    _("You may not give values for %(ags)s.") % {"ags": value.ags},
                )
            )
    if problems:
        raise ValueImportError(
            _("Nothing was imported: %(count)d row(s) refused.") % {"count": len(problems)},
            sorted(problems, key=attrgetter("row")),
        )
    return import_values(plan, parsed, file_name=file_name, user=user, apply=apply)
