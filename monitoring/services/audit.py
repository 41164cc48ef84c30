"""The one entry point of the monitoring event log."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from monitoring.models import Event, ReportingRound, StatusReport
from plans.models import Measure, Plan


def log_action(
    kind: Event.Kind,
    *,
    user: Any,
    plan: Plan,
    reporting_round: ReportingRound | None = None,
    report: StatusReport | None = None,
    measure: Measure | None = None,
    data: Mapping[str, Any] | None = None,
) -> Event:
    """Append one event: the one entry point of the monitoring log.

    The measure is the report's unless given (events about a measure without a report).
    """
    event = _event(kind, user, plan, reporting_round, report, measure, data)
    event.save()
    return event


def log_actions(
    kind: Event.Kind,
    *,
    user: Any,
    plan: Plan,
    reports: Sequence[StatusReport],
    data: Sequence[Mapping[str, Any] | None],
) -> list[Event]:
    """`log_action` for several reports at once (one INSERT): one event per report."""
    events = [
        _event(kind, user, plan, None, report, None, details)
        for report, details in zip(reports, data, strict=True)
    ]
    return Event.objects.bulk_create(events, batch_size=500)


def _event(
    kind: Event.Kind,
    user: Any,
    plan: Plan,
    reporting_round: ReportingRound | None,
    report: StatusReport | None,
    measure: Measure | None,
    data: Mapping[str, Any] | None,
) -> Event:
    """The unsaved event: the round, measure and organisation named in its data."""
    details: dict[str, Any] = {}
    if reporting_round is None and report is not None:
        reporting_round = report.reporting_round
    if reporting_round is not None:
        details["round"] = reporting_round.name
    if measure is None and report is not None:
        measure = report.measure
    if measure is not None:
        details["measure"] = measure.number
    if report is not None:
        details["organisation"] = report.organisation.abbreviation
    details.update(data or {})
    return Event(
        kind=kind,
        plan=plan,
        reporting_round=reporting_round,
        report=report,
        measure=measure,
        user=user if user is not None and user.is_authenticated else None,
        is_public=kind in Event.PUBLIC_KINDS,
        data=details,
    )
