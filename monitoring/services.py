"""Writes of monitoring: rounds, status reports along their workflow, restore, the event log.

Plain functions that views, admin actions, commands and the API call. Each checks the policy
(`policies.py`), raises a `MonitoringError` with a German message, bumps the report's version
with a conditional UPDATE (optimistic locking), leaves a history record with the acting user
(django-simple-history) and one `Event` through `log_action`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Membership
from plans.models import Measure, Organisation, Placement, Plan, Step
from plans.services import mark_plan_changed

from . import policies
from .models import Event, ReportingRound, StatusOption, StatusReport, StepProgress

State = StatusReport.State


class MonitoringError(Exception):
    """A monitoring write was refused; the message is German and meant for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(MonitoringError):
    """The user's role does not allow this."""


class InvalidTransition(MonitoringError):
    """The report's or round's state does not allow this action."""


class InvalidData(MonitoringError):
    """The submitted values are not valid; `errors` maps field names to German messages."""

    def __init__(self, message: str, errors: Mapping[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.errors = dict(errors or {})


class ConflictError(MonitoringError):
    """Someone else saved the report meanwhile: carries the stored and the attempted version."""

    def __init__(
        self, stored: StatusReport, attempted: Mapping[str, Any], expected_version: int
    ) -> None:
        super().__init__(
            _(
                "The report was changed by someone else in the meantime (version %(stored)s, "
                "you edited version %(expected)s). Nothing was overwritten."
            )
            % {"stored": stored.version, "expected": expected_version}
        )
        self.stored = stored
        self.attempted = dict(attempted)
        self.expected_version = expected_version

    @property
    def stored_version(self) -> int:
        """The version now in the database."""
        return self.stored.version


# --- statuses ------------------------------------------------------------------------------

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


# --- the event log -------------------------------------------------------------------------


def log_action(
    kind: Event.Kind,
    *,
    user: Any,
    plan: Plan,
    reporting_round: ReportingRound | None = None,
    report: StatusReport | None = None,
    data: Mapping[str, Any] | None = None,
) -> Event:
    """Append one event: the one entry point of the monitoring log."""
    details: dict[str, Any] = {}
    if reporting_round is None and report is not None:
        reporting_round = report.reporting_round
    if reporting_round is not None:
        details["round"] = reporting_round.name
    if report is not None:
        details["measure"] = report.measure.number
        details["organisation"] = report.organisation.abbreviation
    details.update(data or {})
    return Event.objects.create(
        kind=kind,
        plan=plan,
        reporting_round=reporting_round,
        report=report,
        measure=report.measure if report is not None else None,
        user=user if user is not None and user.is_authenticated else None,
        is_public=kind in Event.PUBLIC_KINDS,
        data=details,
    )


# --- rounds --------------------------------------------------------------------------------


@transaction.atomic
def open_round(
    user: Any,
    plan: Plan,
    name: str,
    reporting_date: datetime.date,
    deadline: datetime.date,
) -> ReportingRound:
    """Open a reporting round (and give the plan its default statuses if it has none)."""
    if not policies.can_open_round(user, plan):
        raise NotAllowed(_("Only the coordination can open a reporting round."))
    name = name.strip()
    if not name:
        raise InvalidData(_("The round needs a name."), {"name": [_("This field is required.")]})
    if deadline < reporting_date:
        raise InvalidData(
            _("The deadline cannot be before the reporting date."),
            {"deadline": [_("The deadline cannot be before the reporting date.")]},
        )
    if ReportingRound.objects.filter(plan=plan, name=name).exists():
        raise InvalidData(
            _("A reporting round “%(name)s” already exists.") % {"name": name},
            {"name": [_("This name is already taken.")]},
        )
    ensure_default_statuses(plan)
    reporting_round = ReportingRound(
        plan=plan, name=name, reporting_date=reporting_date, deadline=deadline, opened_by=user
    )
    reporting_round._history_user = user  # type: ignore[attr-defined]
    reporting_round.save()
    log_action(Event.Kind.ROUND_OPENED, user=user, plan=plan, reporting_round=reporting_round)
    return reporting_round


@transaction.atomic
def close_round(user: Any, reporting_round: ReportingRound) -> ReportingRound:
    """Close a round: the offices can no longer start, change or submit reports in it."""
    if not policies.can_close_round(user, reporting_round):
        raise NotAllowed(_("Only the coordination can close a reporting round."))
    if not reporting_round.is_open:
        raise InvalidTransition(_("The reporting round is already closed."))
    reporting_round.state = ReportingRound.State.CLOSED
    reporting_round.closed_at = timezone.now()
    reporting_round._history_user = user  # type: ignore[attr-defined]
    reporting_round.save()
    log_action(
        Event.Kind.ROUND_CLOSED,
        user=user,
        plan=reporting_round.plan,
        reporting_round=reporting_round,
    )
    return reporting_round


# --- reports -------------------------------------------------------------------------------


def _require_open(reporting_round: ReportingRound, user: Any) -> None:
    """Offices work only in open rounds; the coordination may still correct closed ones."""
    if not reporting_round.is_open and not policies.is_coordination(user, reporting_round.plan_id):
        raise InvalidTransition(
            _("The reporting round “%(round)s” is closed.") % {"round": reporting_round.name}
        )


def last_published_report(
    measure: Measure, organisation: Organisation, before: ReportingRound
) -> StatusReport | None:
    """The organisation's latest published report on the measure from an earlier round."""
    return (
        StatusReport.objects.published()
        .filter(
            measure=measure,
            organisation=organisation,
            reporting_round__plan_id=before.plan_id,
            reporting_round__reporting_date__lt=before.reporting_date,
        )
        .exclude(reporting_round=before)
        .order_by("-reporting_round__reporting_date")
        .first()
    )


@transaction.atomic
def start_report(
    user: Any,
    reporting_round: ReportingRound,
    measure: Measure,
    organisation: Organisation | None = None,
) -> StatusReport:
    """Start a draft, pre-filled from the office's last published report on the measure."""
    plan = reporting_round.plan
    if measure.plan_id != plan.pk:
        raise InvalidData(_("The measure belongs to another plan."))
    if organisation is None:
        organisation = policies.organisation_of(user, plan)
    if organisation is None or not policies.can_start_report(user, measure, organisation):
        raise NotAllowed(
            _("You cannot report on measure %(measure)s for this organisation.")
            % {"measure": measure.number}
        )
    _require_open(reporting_round, user)
    if (
        StatusReport.objects.current()
        .filter(reporting_round=reporting_round, measure=measure, organisation=organisation)
        .exists()
    ):
        raise InvalidTransition(
            _("%(organisation)s already has a report on %(measure)s in this round.")
            % {"organisation": organisation.abbreviation, "measure": measure.number}
        )
    statuses = {s.key: s for s in ensure_default_statuses(plan)}
    report = StatusReport(
        reporting_round=reporting_round, measure=measure, organisation=organisation, author=user
    )
    previous = last_published_report(measure, organisation, reporting_round)
    if previous is not None:
        for name in StatusReport.USER_EDITABLE_FIELDS:
            setattr(report, name, getattr(previous, name))
    else:
        key = "continuous" if suggest_continuous(measure) else "not_started"
        report.status = statuses.get(key)
    report._history_user = user  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:  # a concurrent start of the same report
        raise InvalidTransition(
            _("%(organisation)s already has a report on %(measure)s in this round.")
            % {"organisation": organisation.abbreviation, "measure": measure.number}
        ) from error
    if previous is not None:
        StepProgress.objects.bulk_create(
            StepProgress(
                report=report, placement_id=p.placement_id, step_id=p.step_id, state=p.state
            )
            for p in previous.step_progress.all()
        )
    log_action(
        Event.Kind.REPORT_STARTED,
        user=user,
        plan=plan,
        report=report,
        data={"prefilled_from": previous.pk if previous else None},
    )
    return report


def _clean_values(report: StatusReport, data: Mapping[str, Any]) -> dict[str, Any]:
    """Check the user-editable values; raise InvalidData with German messages per field."""
    unknown = sorted(set(data) - set(StatusReport.USER_EDITABLE_FIELDS))
    if unknown:
        raise InvalidData(
            _("These fields cannot be set: %(fields)s") % {"fields": ", ".join(unknown)}
        )
    values = dict(data)
    status = values.get("status", report.status)
    if isinstance(status, int | str) and not isinstance(status, StatusOption):
        status = StatusOption.objects.filter(pk=status).first()
    if "status" in values:
        if status is not None and status.plan_id != report.reporting_round.plan_id:
            raise InvalidData(
                _("This status does not belong to the plan."),
                {"status": [_("This status does not belong to the plan.")]},
            )
        values["status"] = status
    completion = values.get("expected_completion")
    if isinstance(completion, datetime.date):
        values["expected_completion"] = completion.replace(day=1)
    if isinstance(values.get("funding_amount"), int | float | str):
        values["funding_amount"] = Decimal(str(values["funding_amount"]))
    candidate = StatusReport(
        **{f.attname: getattr(report, f.attname) for f in StatusReport._meta.concrete_fields}
    )
    for name, value in values.items():
        setattr(candidate, name, value)
    try:
        candidate.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors = {k: [str(m) for m in v] for k, v in error.message_dict.items()}
        raise InvalidData(_("Please correct the marked fields."), errors) from error
    return values


def _write(
    user: Any,
    report: StatusReport,
    changes: Mapping[str, Any],
    expected_version: int,
    *,
    reason: str = "",
) -> StatusReport:
    """Claim the next version with UPDATE … WHERE version = expected, then save with history.

    The conditional UPDATE is the race-free part: of two concurrent writers of the same
    version exactly one changes a row; the other gets a ConflictError and overwrites nothing.
    """
    claimed = StatusReport.objects.filter(
        pk=report.pk, version=expected_version, is_deleted=False
    ).update(version=F("version") + 1)
    if not claimed:
        stored = StatusReport.objects.get(pk=report.pk)
        raise ConflictError(stored, changes, expected_version)
    for name, value in changes.items():
        setattr(report, name, value)
    report.version = expected_version + 1
    report._history_user = user  # type: ignore[attr-defined]
    report._change_reason = reason  # type: ignore[attr-defined]
    report.save()
    return report


@transaction.atomic
def save_report(
    user: Any, report: StatusReport, data: Mapping[str, Any], expected_version: int
) -> StatusReport:
    """Save the form values of a report; ConflictError if it changed since expected_version."""
    if report.state not in StatusReport.COORDINATION_EDITABLE_STATES or report.is_deleted:
        raise InvalidTransition(
            _("A %(state)s report cannot be changed.") % {"state": report.get_state_display()}
        )
    if not policies.can_edit_report(user, report):
        raise NotAllowed(_("You cannot change this report."))
    _require_open(report.reporting_round, user)
    values = _clean_values(report, data)
    _write(user, report, values, expected_version)
    log_action(Event.Kind.REPORT_SAVED, user=user, plan=report.reporting_round.plan, report=report)
    return report


def _check_transition(report: StatusReport, action: str) -> None:
    """Raise InvalidTransition unless the workflow allows the action from the report's state."""
    sources, target = StatusReport.TRANSITIONS[action]
    if report.is_deleted or report.state not in sources:
        raise InvalidTransition(
            _("A report in state “%(state)s” cannot change to “%(target)s”.")
            % {"state": report.get_state_display(), "target": State(target).label}
        )


def _transition(
    user: Any,
    report: StatusReport,
    action: str,
    extra: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
) -> StatusReport:
    """Move the report along the workflow; InvalidTransition if its state does not allow it."""
    _check_transition(report, action)
    target = StatusReport.TRANSITIONS[action][1]
    version = report.version if expected_version is None else expected_version
    return _write(user, report, {"state": target, **(extra or {})}, version)


@transaction.atomic
def submit_report(user: Any, report: StatusReport) -> StatusReport:
    """Submit a draft or returned report to the coordination (status and progress required)."""
    if not policies.can_submit_report(user, report):
        raise NotAllowed(_("You cannot submit this report."))
    _require_open(report.reporting_round, user)
    _check_transition(report, "submit")
    errors: dict[str, list[str]] = {}
    if report.status is None:
        errors["status"] = [_("Choose a status.")]
    elif report.progress is None and not report.status.is_continuous:
        errors["progress"] = [_("State the progress (optional only for continuing tasks).")]
    if errors:
        raise InvalidData(_("The report is not complete yet."), errors)
    _transition(user, report, "submit", {"submitted_at": timezone.now()})
    log_action(
        Event.Kind.REPORT_SUBMITTED, user=user, plan=report.reporting_round.plan, report=report
    )
    return report


@transaction.atomic
def return_report(user: Any, report: StatusReport, comment: str) -> StatusReport:
    """Return a submitted or approved report to its office, with a comment."""
    if not policies.can_review_report(user, report):
        raise NotAllowed(_("Only the coordination can return a report."))
    if not comment.strip():
        raise InvalidData(
            _("Say why the report is returned."), {"comment": [_("This field is required.")]}
        )
    _transition(user, report, "return", {"return_comment": comment.strip()})
    log_action(
        Event.Kind.REPORT_RETURNED,
        user=user,
        plan=report.reporting_round.plan,
        report=report,
        data={"comment": comment.strip()},
    )
    return report


@transaction.atomic
def approve_report(user: Any, report: StatusReport) -> StatusReport:
    """Approve a submitted report (ready for publication)."""
    if not policies.can_review_report(user, report):
        raise NotAllowed(_("Only the coordination can approve a report."))
    _transition(user, report, "approve", {"approved_at": timezone.now()})
    log_action(
        Event.Kind.REPORT_APPROVED, user=user, plan=report.reporting_round.plan, report=report
    )
    return report


@transaction.atomic
def publish_report(user: Any, report: StatusReport) -> StatusReport:
    """Publish an approved report: from now on the public portal shows it."""
    if report.is_deleted or not policies.can_publish(user, report.reporting_round.plan_id):
        raise NotAllowed(_("Only the coordination can publish a report."))
    _transition(user, report, "publish", {"published_at": timezone.now()})
    log_action(
        Event.Kind.REPORT_PUBLISHED, user=user, plan=report.reporting_round.plan, report=report
    )
    mark_plan_changed(report.reporting_round.plan_id)  # the portal shows it from the next request
    return report


@transaction.atomic
def publish_round(user: Any, reporting_round: ReportingRound) -> list[StatusReport]:
    """Publish every approved report of the round; return the reports published."""
    if not policies.can_publish(user, reporting_round.plan_id):
        raise NotAllowed(_("Only the coordination can publish a report."))
    approved = list(
        StatusReport.objects.current()
        .filter(reporting_round=reporting_round, state=State.APPROVED)
        .select_related("reporting_round__plan", "measure", "organisation")
    )
    return [publish_report(user, report) for report in approved]


@transaction.atomic
def soft_delete_report(user: Any, report: StatusReport) -> StatusReport:
    """Mark an unpublished report deleted; it stays in the database and its history."""
    if report.is_deleted or report.state == State.PUBLISHED:
        raise InvalidTransition(
            _("A %(state)s report cannot be deleted.") % {"state": report.get_state_display()}
        )
    if not policies.can_delete_report(user, report):
        raise NotAllowed(_("You cannot delete this report."))
    _write(user, report, {"is_deleted": True}, report.version)
    log_action(
        Event.Kind.REPORT_DELETED, user=user, plan=report.reporting_round.plan, report=report
    )
    return report


@transaction.atomic
def restore_version(user: Any, history_record: Any) -> StatusReport:
    """Bring back the form values of an earlier version of a report, as a new version."""
    report = StatusReport.objects.select_related(
        "reporting_round__plan", "measure", "organisation"
    ).get(pk=history_record.id)
    if report.state not in StatusReport.COORDINATION_EDITABLE_STATES or report.is_deleted:
        raise InvalidTransition(
            _("A %(state)s report cannot be changed.") % {"state": report.get_state_display()}
        )
    if not policies.can_edit_report(user, report):
        raise NotAllowed(_("You cannot change this report."))
    _require_open(report.reporting_round, user)
    old = history_record.instance
    values = {name: getattr(old, name) for name in StatusReport.USER_EDITABLE_FIELDS}
    values["status"] = old.status if old.status_id else None
    _write(
        user,
        report,
        values,
        report.version,
        reason=_("Version %(version)s restored") % {"version": history_record.version},
    )
    log_action(
        Event.Kind.REPORT_RESTORED,
        user=user,
        plan=report.reporting_round.plan,
        report=report,
        data={"restored_version": history_record.version, "history_id": history_record.pk},
    )
    return report


@transaction.atomic
def set_step_progress(
    user: Any,
    report: StatusReport,
    state: StepProgress.State,
    *,
    step: Step | None = None,
    placement: Placement | None = None,
) -> StepProgress:
    """Set the state of one step or building block of the report's measure."""
    if (step is None) == (placement is None):
        raise InvalidData(_("Name either a step or a building block."))
    if report.state not in StatusReport.COORDINATION_EDITABLE_STATES or report.is_deleted:
        raise InvalidTransition(
            _("A %(state)s report cannot be changed.") % {"state": report.get_state_display()}
        )
    if not policies.can_edit_report(user, report):
        raise NotAllowed(_("You cannot change this report."))
    _require_open(report.reporting_round, user)
    if state not in StepProgress.State.values:
        raise InvalidData(_("Unknown state of a step."))
    target = step.placement if step is not None else placement
    assert target is not None
    measure_id = target.measure_id if target.parent_id is None else target.parent.measure_id
    if measure_id != report.measure_id and target.measure_id != report.measure_id:
        raise InvalidData(_("The step does not belong to the report's measure."))
    progress = StepProgress.objects.filter(report=report, step=step, placement=placement).first()
    if progress is None:
        progress = StepProgress(report=report, step=step, placement=placement)
    progress.state = state
    progress._history_user = user  # type: ignore[attr-defined]
    progress.save()
    # Changing a step changes the report: stale forms must notice it.
    _write(user, report, {}, report.version)
    log_action(
        Event.Kind.STEP_PROGRESS_SET,
        user=user,
        plan=report.reporting_round.plan,
        report=report,
        data={"state": str(StepProgress.State(state).label)},
    )
    return progress


# --- reminders -----------------------------------------------------------------------------


@transaction.atomic
def send_reminders(
    user: Any, reporting_round: ReportingRound, organisation: Organisation | None = None
) -> int:
    """E-mail the editors of every office (or one) that still owes reports; return the count.

    One message per editor, listing the office's measures that are missing, in draft or
    returned. Editors without an e-mail address are skipped.
    """
    from .worklists import outstanding_by_organisation

    if not policies.can_send_reminders(user, reporting_round):
        raise NotAllowed(_("Only the coordination can send reminders."))
    if not reporting_round.is_open:
        raise InvalidTransition(
            _("The reporting round “%(round)s” is closed.") % {"round": reporting_round.name}
        )
    outstanding = outstanding_by_organisation(reporting_round, organisation)
    messages = []
    for office, items in outstanding.items():
        editors = get_user_model().objects.filter(
            is_active=True,
            memberships__plan_id=reporting_round.plan_id,
            memberships__role=Membership.Role.EDITOR,
            memberships__organisation=office,
        )
        context = {
            "round": reporting_round,
            "organisation": office,
            "items": items,
            "url": f"{settings.KEK_BASE_URL.rstrip('/')}{reverse('staff:my_measures')}",
        }
        subject = " ".join(
            render_to_string("monitoring/email/reminder_subject.txt", context).split()
        )
        body = render_to_string("monitoring/email/reminder_body.txt", context)
        messages += [
            EmailMessage(subject, body, to=[editor.email]) for editor in editors if editor.email
        ]
    sent = get_connection().send_messages(messages) if messages else 0
    log_action(
        Event.Kind.REMINDERS_SENT,
        user=user,
        plan=reporting_round.plan,
        reporting_round=reporting_round,
        data={
            "organisations": ", ".join(sorted(o.abbreviation for o in outstanding)),
            "emails": sent or 0,
        },
    )
    return sent or 0
