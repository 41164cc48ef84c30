"""Who may do what with monitoring's objects: reports, rounds and comments.

Built on the role predicates of `accounts.policies` (membership, role, coordination). Views,
admin, exports, commands and the API ask these functions; services enforce them.
Predicates answer "who"; whether a report's workflow state allows an action is the services'
concern (they raise InvalidTransition), except where the answer depends on the role
(an office editor changes only drafts and returned reports).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from accounts.models import Membership
from accounts.policies import can_read_internal, is_coordination, organisation_of, role
from plans.models import Measure, Organisation, Plan

from .models import Comment, ReportingRound, StatusReport

Role = Membership.Role


def lead_organisations(measure: Measure) -> QuerySet[Organisation]:
    """Organisations printed as lead of the measure in any placement or building block."""
    return Organisation.objects.filter(
        Q(lead_rows__placement__measure=measure) | Q(lead_rows__placement__parent__measure=measure)
    ).distinct()


def _leads(organisation: Organisation | None, measure: Measure) -> bool:
    return (
        organisation is not None and lead_organisations(measure).filter(pk=organisation.pk).exists()
    )


# --- reading -------------------------------------------------------------------------------


def reports_visible_to(
    user: Any, plan: Plan, *, include_deleted: bool = False
) -> QuerySet[StatusReport]:
    """Reports the user may read: nobody sees another office's drafts except coordination.

    Deleted reports only on request (their history stays readable to the same people).
    """
    reports = StatusReport.objects.all() if include_deleted else StatusReport.objects.current()
    reports = reports.filter(reporting_round__plan=plan)
    user_role = role(user, plan)
    if user_role is None:
        return reports.filter(state=StatusReport.State.PUBLISHED)
    if user_role == Role.COORDINATION:
        return reports
    not_private = ~Q(state__in=StatusReport.PRIVATE_STATES)
    organisation = organisation_of(user, plan)
    if user_role == Role.EDITOR and organisation is not None:
        return reports.filter(not_private | Q(organisation=organisation))
    return reports.filter(not_private)


def measures_reportable_by(user: Any, plan: Plan) -> QuerySet[Measure]:
    """Measures the user may report on: coordination all, an office those it leads."""
    measures = Measure.objects.filter(plan=plan)
    user_role = role(user, plan)
    if user_role == Role.COORDINATION:
        return measures
    organisation = organisation_of(user, plan)
    if user_role != Role.EDITOR or organisation is None:
        return measures.none()
    return measures.filter(
        Q(placements__lead_rows__organisation=organisation)
        | Q(placements__building_blocks__lead_rows__organisation=organisation)
    ).distinct()


# --- rounds --------------------------------------------------------------------------------


def can_open_round(user: Any, plan: Plan) -> bool:
    """Only the coordination opens reporting rounds."""
    return is_coordination(user, plan)


def can_close_round(user: Any, reporting_round: ReportingRound) -> bool:
    """Only the coordination closes reporting rounds."""
    return is_coordination(user, reporting_round.plan_id)


def can_reopen_round(user: Any, reporting_round: ReportingRound) -> bool:
    """Only the coordination reopens a closed round (with a reason that is logged)."""
    return is_coordination(user, reporting_round.plan_id)


def round_accepts_changes(reporting_round: ReportingRound) -> bool:
    """The frozen round: nothing in a closed round can change, for anyone.

    No report, step, review, publication, deletion or restore – the coordination included. Its
    published reports are a citable state; to correct it the coordination reopens the round
    (`can_reopen_round`, with a logged reason). The services refuse with a German reason; the
    models refuse too (`ClosedRoundError`), whatever path a write takes.
    """
    return reporting_round.is_open


def can_send_reminders(user: Any, reporting_round: ReportingRound) -> bool:
    """Only the coordination reminds the offices of their outstanding reports."""
    return is_coordination(user, reporting_round.plan_id)


def can_publish(user: Any, plan: Plan | int) -> bool:
    """Only the coordination publishes (a report or a whole round)."""
    return is_coordination(user, plan)


# --- reports -------------------------------------------------------------------------------


def is_reporting_office(organisation: Organisation) -> bool:
    """Whether the organisation's own editors report: an office the document's glossary names.

    "Alle Ämter" is an office by kind but no glossary entry (a collective lead): like
    municipalities and partners, the coordination reports for it.
    """
    return organisation.kind == Organisation.Kind.OFFICE and organisation.in_glossary


def reporting_office_q(prefix: str = "") -> Q:
    """`is_reporting_office` as a filter (on organisations, or through the relation `prefix`)."""
    return Q(**{f"{prefix}kind": Organisation.Kind.OFFICE, f"{prefix}in_glossary": True})


def can_start_report(user: Any, measure: Measure, organisation: Organisation) -> bool:
    """Coordination for any lead; an office editor for its own office if it leads and reports
    itself (for other leads the coordination reports, see `is_reporting_office`)."""
    if not _leads(organisation, measure):
        return False
    user_role = role(user, measure.plan_id)
    if user_role == Role.COORDINATION:
        return True
    return (
        user_role == Role.EDITOR
        and organisation_of(user, measure.plan_id) == organisation
        and is_reporting_office(organisation)
    )


def _is_own_office_editor(user: Any, report: StatusReport) -> bool:
    plan_id = report.reporting_round.plan_id
    return (
        role(user, plan_id) == Role.EDITOR
        and organisation_of(user, plan_id) == report.organisation
        and _leads(report.organisation, report.measure)
    )


def can_edit_report(user: Any, report: StatusReport) -> bool:
    """Coordination until publication; the reporting office only while draft or returned."""
    if report.is_deleted:
        return False
    if is_coordination(user, report.reporting_round.plan_id):
        return report.state in StatusReport.COORDINATION_EDITABLE_STATES
    return report.state in StatusReport.EDITOR_EDITABLE_STATES and _is_own_office_editor(
        user, report
    )


def can_submit_report(user: Any, report: StatusReport) -> bool:
    """The reporting office's editors, and the coordination on its behalf."""
    if report.is_deleted:
        return False
    return is_coordination(user, report.reporting_round.plan_id) or _is_own_office_editor(
        user, report
    )


def can_review_report(user: Any, report: StatusReport) -> bool:
    """Return or approve: the coordination only."""
    return not report.is_deleted and is_coordination(user, report.reporting_round.plan_id)


def can_delete_report(user: Any, report: StatusReport) -> bool:
    """Coordination any unpublished report; the office its own drafts (deletion is soft)."""
    return can_edit_report(user, report)


# --- catalogue -----------------------------------------------------------------------------


def can_comment_on_measure(user: Any, measure: Measure) -> bool:
    """Coordination; offices and participants whose organisation leads or takes part in it."""
    user_role = role(user, measure.plan_id)
    if user_role == Role.COORDINATION:
        return True
    if user_role not in (Role.EDITOR, Role.PARTICIPANT):
        return False
    organisation = organisation_of(user, measure.plan_id)
    if organisation is None:
        return False
    if _leads(organisation, measure):
        return True
    return Organisation.objects.taking_part_in(measure).filter(pk=organisation.pk).exists()


def comments_visible_to(user: Any, plan: Plan) -> QuerySet[Comment]:
    """Comments the user may read: every internal role sees those not hidden; the public none."""
    comments = Comment.objects.current().filter(measure__plan=plan)
    return comments if can_read_internal(user, plan) else comments.none()


def can_delete_comment(user: Any, comment: Comment) -> bool:
    """Coordination, or the comment's author while they have a role in the plan (soft)."""
    if comment.is_deleted:
        return False
    plan_id = comment.measure.plan_id
    if is_coordination(user, plan_id):
        return True
    return can_read_internal(user, plan_id) and comment.author_id == user.pk
