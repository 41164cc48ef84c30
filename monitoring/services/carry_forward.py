"""Carry-forward: an office marks a measure „unverändert seit <Runde>“ in one step."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from monitoring.models import ReportingRound, StatusReport
from plans.models import Measure, Organisation

from .errors import InvalidTransition
from .reports import last_published_report, start_report, submit_report, write_report


@transaction.atomic
def carry_forward(
    user: Any, reporting_round: ReportingRound, measure: Measure, organisation: Organisation
) -> StatusReport:
    """Report the measure unchanged since the organisation's last published report.

    The new report copies that report's status, progress, texts and step states (as
    `start_report` pre-fills), points to it (`carried_forward_from`) and is submitted: the
    coordination still reviews it. The same rights and refusals as starting a report (the
    round open, no report yet); without a published report of an earlier round there is
    nothing to carry forward. All or nothing.
    """
    previous = last_published_report(measure, organisation, reporting_round)
    if previous is None:
        raise InvalidTransition(
            _(
                "%(organisation)s has no published report on %(measure)s from an earlier "
                "round: there is nothing to carry forward."
            )
            % {"organisation": organisation.abbreviation, "measure": measure.number}
        )
    report = start_report(user, reporting_round, measure, organisation)
    write_report(
        user,
        report,
        {"carried_forward_from": previous},
        report.version,
        reason=_("Unchanged since %(round)s") % {"round": previous.reporting_round.name},
    )
    return submit_report(user, report)
