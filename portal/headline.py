"""The start page's headline: the whole plan by status as of the newest closed round.

"Stand: Monitoring 2026: 41 von 233 Maßnahmen umgesetzt, 120 in Umsetzung, …" — the counts
are `monitoring.rollups.plan_rollup` as of the round `latest` names (`ReportingRound.objects
.by_slug`), so the headline says what the round's published reports say.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from monitoring.models import ReportingRound
from monitoring.models.round import LATEST_ROUND
from monitoring.rollups import plan_rollup
from plans.models import Plan

# The status a reader asks for first leads the sentence ("41 von 233 Maßnahmen umgesetzt").
LEADING_STATUS = "implemented"


@dataclass(frozen=True)
class Headline:
    """The newest closed round and the sentence with its counts."""

    round_name: str
    reporting_date: datetime.date
    text: str


def headline(plan: Plan) -> Headline | None:
    """The headline of the newest closed round, or None before the first round is closed."""
    reporting_round = ReportingRound.objects.filter(plan=plan).by_slug(LATEST_ROUND)
    if reporting_round is None:
        return None
    table = plan_rollup(plan, as_of=reporting_round)
    whole = table.whole_plan
    counted = [(s.key, s.label, n) for s, n in zip(table.statuses, whole.counts, strict=True)]
    counted.sort(key=lambda entry: entry[0] != LEADING_STATUS)  # stable: the rest keep order
    shown = [(label, n) for key, label, n in counted if n or key == LEADING_STATUS]
    if not shown:
        shown = [(_("with a published report"), 0)]
    (first_label, first_count), rest = shown[0], shown[1:]
    parts = [
        _("%(n)s of %(total)s measures %(status)s")
        % {"n": first_count, "total": whole.total, "status": first_label}
    ]
    parts += [f"{n} {label}" for label, n in rest]
    if whole.without_report:
        parts.append(_("%(n)s without a published report") % {"n": whole.without_report})
    return Headline(
        reporting_round.name,
        reporting_round.reporting_date,
        ", ".join(parts),
    )
