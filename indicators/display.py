"""Indicator figures as German text: values with their precision, rates, attainment sentences."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from indicators.attainment import Assessment, Attainment

_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "Ä": "A", "Ö": "O", "Ü": "U", "ß": "ss"})


def german_sort_key(name: str) -> str:
    """Sort names as a German list does: Böhlen between Belgershain and Borna."""
    return name.translate(_FOLD).casefold()


def format_value(value: Decimal | None, precision: int) -> str:
    """A value as Germans write it: 28.269 or 164,3 (– when there is none)."""
    if value is None:
        return "–"
    return number_format(
        value.quantize(Decimal(1).scaleb(-precision)) if precision >= 0 else value,
        decimal_pos=precision,
        use_l10n=True,
        force_grouping=True,
    )


def format_rate(assessment: Assessment, rate: float, unit: str, precision: int) -> str:
    """A yearly change: "+1,2 %" when relative, "+35 Personen" when absolute."""
    if assessment.relative:
        text = number_format(round(rate * 100, 2), decimal_pos=2, use_l10n=True)
        return f"{'+' if rate >= 0 else ''}{text} %"
    text = format_value(Decimal(str(rate)), precision)
    return f"{'+' if rate >= 0 else ''}{text} {unit}"


def attainment_sentence(assessment: Assessment, unit: str, precision: int) -> str:
    """The plain German sentence that explains the assessment with its figures."""
    status = assessment.status
    if status == Attainment.NO_TARGET:
        return _("No target has been set for this indicator.")
    if status == Attainment.NO_DATA or assessment.target is None or assessment.latest is None:
        return _("An assessment needs county values from at least two years.")
    target_year, target = assessment.target
    latest_year, latest = assessment.latest
    figures = {
        "target": f"{format_value(target, precision)} {unit}",
        "target_year": target_year,
        "latest": f"{format_value(latest, precision)} {unit}",
        "latest_year": latest_year,
    }
    if status == Attainment.ACHIEVED:
        return (
            _(
                "The target of %(target)s for %(target_year)s is reached: "
                "%(latest)s in %(latest_year)s."
            )
            % figures
        )
    if status == Attainment.MISSED:
        return (
            _(
                "The target of %(target)s for %(target_year)s was not reached: "
                "%(latest)s in %(latest_year)s."
            )
            % figures
        )
    assert assessment.base is not None
    assert assessment.achieved_rate is not None and assessment.needed_rate is not None
    return _(
        "From %(base_year)s to %(latest_year)s the value changed by %(achieved)s a year on "
        "average; reaching %(target)s by %(target_year)s needs %(needed)s a year."
    ) % {
        **figures,
        "base_year": assessment.base[0],
        "achieved": format_rate(assessment, assessment.achieved_rate, unit, precision),
        "needed": format_rate(assessment, assessment.needed_rate, unit, precision),
    }


def provenance_text(
    origin_label: str, source_file: str, source_row: int | None, recorded_at: datetime.datetime
) -> str:
    """Where a value comes from, for the public: origin, file and row, date (not the person:
    who recorded it is shown in the back office)."""
    parts = [origin_label]
    if source_file:
        parts.append(
            _("%(file)s, row %(row)s") % {"file": source_file, "row": source_row}
            if source_row
            else source_file
        )
    parts.append(timezone.localtime(recorded_at).strftime("%d.%m.%Y"))
    return ", ".join(parts)
