"""Writes of the Gemeinden's contributions to measures led by “Kommunen”.

A Gemeinde's editor enters its contribution (status and short text) per measure and round.
Refused with a German `ContributionError`: another Gemeinde, a measure not led by “Kommunen”,
a closed round (`monitoring.policies.round_accepts_changes`), an unknown status, a text too
long, a concurrent change. Each change keeps a history record (who, when, old → new).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import policies
from indicators.models import CONTRIBUTION_TEXT_LIMIT, MunicipalContribution, Municipality
from monitoring.models import ClosedRoundError, ReportingRound, StatusOption
from monitoring.policies import round_accepts_changes
from plans.models import Measure
from plans.services import mark_plan_changed

from .errors import IndicatorError


class ContributionError(IndicatorError):
    """A contribution was refused; the message is German."""


def _require_allowed(
    user: Any, reporting_round: ReportingRound, measure: Measure, ags: str
) -> None:
    if reporting_round.plan_id != measure.plan_id:
        raise ContributionError(_("The round belongs to another plan."))
    if not policies.can_contribute(user, measure, ags):
        raise ContributionError(
            _("You may not enter a contribution of this municipality to this measure.")
        )
    if not round_accepts_changes(reporting_round):
        raise ContributionError(ClosedRoundError(reporting_round).message)


def refusal(user: Any, reporting_round: ReportingRound, measure: Measure, ags: str) -> str | None:
    """Why saving the contribution would fail now (None: it can succeed); the page shows a
    form only when it can."""
    try:
        _require_allowed(user, reporting_round, measure, ags)
    except ContributionError as error:
        return error.message
    return None


@transaction.atomic
def save_contribution(
    user: Any,
    reporting_round: ReportingRound,
    measure: Measure,
    ags: str,
    *,
    status_key: str,
    text: str,
    expected_version: int | None = None,
) -> MunicipalContribution:
    """Enter the Gemeinde's contribution to the measure in the round, or change it if its
    version is still `expected_version` (None: whatever it is)."""
    _require_allowed(user, reporting_round, measure, ags)
    status = StatusOption.objects.filter(plan_id=measure.plan_id, key=status_key).first()
    if status is None:
        raise ContributionError(_("Choose one of the plan's statuses."))
    text = text.strip()
    if len(text) > CONTRIBUTION_TEXT_LIMIT:
        raise ContributionError(
            _("The text is longer than %(limit)d characters.") % {"limit": CONTRIBUTION_TEXT_LIMIT}
        )
    municipality = Municipality.objects.defer("boundary").get(ags=ags)
    contribution = (
        MunicipalContribution.objects.select_for_update()
        .filter(reporting_round=reporting_round, measure=measure, municipality=municipality)
        .first()
    )
    if contribution is None:
        if expected_version:
            raise ContributionError(_("Someone else removed this contribution in the meantime."))
        contribution = MunicipalContribution(
            reporting_round=reporting_round, measure=measure, municipality=municipality
        )
    else:
        if expected_version is not None and contribution.version != expected_version:
            raise ContributionError(
                _(
                    "Someone else changed this contribution in the meantime. "
                    "Reload it and try again."
                )
            )
        if contribution.status_id == status.pk and contribution.text == text:
            return contribution
        contribution.version += 1
    contribution.status = status
    contribution.text = text
    contribution.changed_at = timezone.now()
    contribution.changed_by = user if user is not None and user.is_authenticated else None
    contribution._history_user = contribution.changed_by  # type: ignore[attr-defined]  # read by simple-history outside a request
    contribution.save()
    # Public at once: the measure page and the Gemeinde page show it with the next request.
    mark_plan_changed(measure.plan_id)
    return contribution
