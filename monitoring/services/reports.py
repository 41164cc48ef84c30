"""A status report along its workflow: start, save, submit, review, publish, delete, restore.

Each function checks the policy, raises a `MonitoringError`, bumps the report's version with a
conditional UPDATE (optimistic locking) and leaves a history record plus one `Event`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.policies import organisation_of
from monitoring import policies
from monitoring.models import Event, ReportingRound, StatusOption, StatusReport, StepProgress
from plans.models import Measure, Organisation, Placement, Step
from plans.services import mark_statuses_changed

from .audit import log_action, log_actions
from .errors import ConflictError, InvalidData, InvalidTransition, MonitoringError, NotAllowed
from .notifications import mail_report_returned, mail_report_submitted
from .statuses import ensure_default_statuses, suggest_continuous

State = StatusReport.State
# States a report is in once it was submitted (and not returned since).
SUBMITTED_STATES = frozenset({State.SUBMITTED, State.APPROVED, State.PUBLISHED})
# A change of one step or building block: (state, step, placement), exactly one of the two.
StepChange = tuple[str, Step | None, Placement | None]


def require_open(reporting_round: ReportingRound) -> None:
    """Nothing in a closed round can change, for anyone (`policies.round_accepts_changes`)."""
    if not policies.round_accepts_changes(reporting_round):
        raise InvalidTransition(
            _(
                "The reporting round “%(round)s” is closed; nothing in it can change. "
                "The coordination can reopen it, giving a reason."
            )
            % {"round": reporting_round.name}
        )


def _require_changeable(user: Any, report: StatusReport) -> None:
    """The report's values may change: its state allows it, the user may, the round is open."""
    if report.state not in StatusReport.COORDINATION_EDITABLE_STATES or report.is_deleted:
        raise InvalidTransition(
            _("A %(state)s report cannot be changed.") % {"state": report.get_state_display()}
        )
    if not policies.can_edit_report(user, report):
        raise NotAllowed(_("You cannot change this report."))
    require_open(report.reporting_round)


def is_open_for(user: Any, reporting_round: ReportingRound) -> bool:
    """Whether the user may still work in the round: only while it is open, for everyone."""
    return policies.round_accepts_changes(reporting_round)


def is_changeable(user: Any, report: StatusReport) -> bool:
    """Whether the user may change the report's values now: its state, their role, the round.

    The pages ask this so that they show a form only where saving it can succeed.
    """
    try:
        _require_changeable(user, report)
    except MonitoringError:
        return False
    return True


def _published_before(organisation: Organisation, before: ReportingRound) -> Any:
    """The organisation's published reports from rounds before `before`, newest round first
    (`StatusReport.objects.carry_forward_sources`)."""
    return StatusReport.objects.carry_forward_sources(before).filter(organisation=organisation)


def last_published_report(
    measure: Measure, organisation: Organisation, before: ReportingRound
) -> StatusReport | None:
    """The organisation's latest published report on the measure from an earlier round.

    Demo rounds never count: their example texts must not end up in a real report.
    """
    report: StatusReport | None = (
        _published_before(organisation, before).filter(measure=measure).first()
    )
    return report


def last_published_reports(
    organisation: Organisation, before: ReportingRound, measure_ids: Iterable[int]
) -> dict[int, StatusReport]:
    """`last_published_report` for many measures in one query: measure id → report."""
    found: dict[int, StatusReport] = {}
    for report in (
        _published_before(organisation, before)
        .filter(measure_id__in=list(measure_ids))
        .select_related("status")
    ):
        found.setdefault(report.measure_id, report)
    return found


def _already_reported(organisation: Organisation, measure: Measure) -> str:
    return _("%(organisation)s already has a report on %(measure)s in this round.") % {
        "organisation": organisation.abbreviation,
        "measure": measure.number,
    }


@transaction.atomic
def start_report(
    user: Any,
    reporting_round: ReportingRound,
    measure: Measure,
    organisation: Organisation | None = None,
    values: Mapping[str, Any] | None = None,
) -> StatusReport:
    """Start a draft, pre-filled from the office's last published report on the measure.

    With `values` (the form fields `save_report` takes, checked alike) the draft starts with
    them: one version, one history record, one event.
    """
    return start_reports(user, reporting_round, [(measure, values or {})], organisation)[0]


@transaction.atomic
def start_reports(
    user: Any,
    reporting_round: ReportingRound,
    rows: Sequence[tuple[Measure, Mapping[str, Any]]],
    organisation: Organisation | None = None,
) -> list[StatusReport]:
    """`start_report` for several measures of one organisation (the workbook import).

    The same checks, prefill, history records and events per report, read and written in bulk:
    the queries do not grow with the rows, but for the policy's check per measure.
    """
    plan = reporting_round.plan
    if organisation is None:
        organisation = organisation_of(user, plan)
    for measure, _values in rows:
        if measure.plan_id != plan.pk:
            raise InvalidData(_("The measure belongs to another plan."))
        if organisation is None or not policies.can_start_report(user, measure, organisation):
            raise NotAllowed(
                _("You cannot report on measure %(measure)s for this organisation.")
                % {"measure": measure.number}
            )
    assert organisation is not None
    require_open(reporting_round)
    started = set(
        StatusReport.objects.current()
        .filter(reporting_round=reporting_round, organisation=organisation)
        .values_list("measure_id", flat=True)
    )
    for measure, _values in rows:
        if measure.pk in started:
            raise InvalidTransition(_already_reported(organisation, measure))
    statuses = {s.key: s for s in ensure_default_statuses(plan)}
    previous = last_published_reports(organisation, reporting_round, [m.pk for m, _v in rows])
    reports: list[StatusReport] = []
    for measure, values in rows:
        report = StatusReport(
            reporting_round=reporting_round, measure=measure, organisation=organisation, author=user
        )
        before = previous.get(measure.pk)
        if before is not None:
            for name in StatusReport.USER_EDITABLE_FIELDS:
                setattr(report, name, getattr(before, name))
        elif "status" not in values:
            key = "continuous" if suggest_continuous(measure) else "not_started"
            report.status = statuses.get(key)
        if values:
            for name, value in _clean_values(report, values).items():
                setattr(report, name, value)
        reports.append(report)
    # The model's guard (bulk writes skip save()): a round closed meanwhile refuses them.
    ReportingRound.objects.filter(pk=reporting_round.pk).refuse_changes_if_closed()
    try:
        with transaction.atomic():
            bulk_create_with_history(reports, StatusReport, default_user=user)
    except IntegrityError as error:  # a concurrent start of one of the reports
        raise InvalidTransition(_already_reported(organisation, rows[0][0])) from error
    prefilled = {r.measure_id: r for r in reports if r.measure_id in previous}
    if prefilled:
        sources = {previous[measure_id].pk: report for measure_id, report in prefilled.items()}
        bulk_create_with_history(
            [
                StepProgress(
                    report=sources[p.report_id],
                    placement_id=p.placement_id,
                    step_id=p.step_id,
                    state=p.state,
                )
                for p in StepProgress.objects.filter(report_id__in=list(sources)).order_by("pk")
            ],
            StepProgress,
            default_user=user,
        )
    log_actions(
        Event.Kind.REPORT_STARTED,
        user=user,
        plan=plan,
        reports=reports,
        data=[
            {"prefilled_from": previous[r.measure_id].pk if r.measure_id in previous else None}
            for r in reports
        ],
    )
    return reports


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
    # Relations are not checked here (a query each): the database's foreign keys hold them,
    # and a status of another plan is refused above.
    relations = [f.name for f in StatusReport._meta.concrete_fields if f.is_relation]
    try:
        candidate.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors = {k: [str(m) for m in v] for k, v in error.message_dict.items()}
        raise InvalidData(_("Please correct the marked fields."), errors) from error
    return values


def write_report(
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
    claimed = (
        StatusReport.objects.current()
        .filter(pk=report.pk, version=expected_version)
        .update(version=F("version") + 1)
    )
    if not claimed:
        stored = StatusReport.objects.select_related("measure").get(pk=report.pk)
        if stored.measure.is_deleted:
            raise InvalidTransition(
                _("Measure %(number)s was deleted; its reports cannot change any more.")
                % {"number": stored.measure.number}
            )
        raise ConflictError(stored, changes, expected_version)
    for name, value in changes.items():
        setattr(report, name, value)
    report.version = expected_version + 1
    report._history_user = user
    report._change_reason = reason
    report.save()
    return report


@transaction.atomic
def save_report(
    user: Any, report: StatusReport, data: Mapping[str, Any], expected_version: int
) -> StatusReport:
    """Save the form values of a report; ConflictError if it changed since expected_version."""
    _require_changeable(user, report)
    values = _clean_values(report, data)
    if report.carried_forward_from_id is not None and not _holds(report, data, ()):
        values["carried_forward_from"] = None  # changed: no longer carried forward unchanged
    write_report(user, report, values, expected_version)
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
    require_open(report.reporting_round)
    target = StatusReport.TRANSITIONS[action][1]
    version = report.version if expected_version is None else expected_version
    return write_report(user, report, {"state": target, **(extra or {})}, version)


def _check_step(report: StatusReport, step: Step | None, placement: Placement | None) -> None:
    """Raise InvalidData unless exactly one of step and placement is given and it belongs to
    the report's measure (as a step of one of its rows or blocks, or as one of its blocks)."""
    if (step is None) == (placement is None):
        raise InvalidData(_("Name either a step or a building block."))
    target = step.placement if step is not None else placement
    assert target is not None
    measure_id = target.measure_id if target.parent is None else target.parent.measure_id
    if measure_id != report.measure_id and target.measure_id != report.measure_id:
        raise InvalidData(_("The step does not belong to the report's measure."))


def _holds(
    report: StatusReport, data: Mapping[str, Any] | None, steps: Sequence[StepChange]
) -> bool:
    """Whether the report already holds these values and step states (nothing would change)."""
    if data is not None:
        try:
            values = _clean_values(report, data)
        except InvalidData:
            return False
        for name, value in values.items():
            stored = getattr(report, name)
            if name == "status":
                value = value.pk if value is not None else None
                stored = report.status_id
            if value != stored:
                return False
    stored_steps = {(p.placement_id, p.step_id): p.state for p in report.step_progress.all()}
    return all(
        stored_steps.get(
            (placement.pk if placement else None, step.pk if step else None),
            StepProgress.State.OPEN,
        )
        == state
        for state, step, placement in steps
    )


@transaction.atomic
def submit_report(
    user: Any,
    report: StatusReport,
    data: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
    steps: Sequence[StepChange] = (),
) -> StatusReport:
    """Submit a draft or returned report to the coordination (status and progress required).

    With the form's `data` (and the `expected_version` it showed, and changed `steps`) the
    values are saved and the report submitted as one version; if the submission is refused,
    nothing is saved. Submitting again what is already submitted (a double click, the back
    button) changes nothing and returns the report as stored.
    """
    if not policies.can_submit_report(user, report):
        raise NotAllowed(_("You cannot submit this report."))
    require_open(report.reporting_round)
    if report.state in SUBMITTED_STATES and not report.is_deleted:
        if _holds(report, data, steps):
            return report
        raise InvalidTransition(
            _(
                "The report was already submitted (%(when)s); your changes were not saved. "
                "The coordination can return it to you."
            )
            % {"when": _when(report.submitted_at)}
        )
    _check_transition(report, "submit")
    values: dict[str, Any] = {}
    if data is not None:
        _require_changeable(user, report)
        values = _clean_values(report, data)
    for state, step, placement in steps:
        if state not in StepProgress.State.values:
            raise InvalidData(_("Unknown state of a step."))
        _check_step(report, step, placement)
    status = values.get("status", report.status)
    progress = values.get("progress", report.progress)
    errors: dict[str, list[str]] = {}
    if status is None:
        errors["status"] = [_("Choose a status.")]
    elif progress is None and not status.is_continuous:
        errors["progress"] = [_("State the progress (optional only for continuing tasks).")]
    if errors:
        raise InvalidData(_("The report is not complete yet."), errors)
    version = report.version if expected_version is None else expected_version
    try:
        write_report(
            user,
            report,
            {**values, "state": State.SUBMITTED, "submitted_at": timezone.now()},
            version,
        )
    except ConflictError as error:
        # The same submission got here first (a double click): nothing to do.
        stored = error.stored
        if stored.state in SUBMITTED_STATES and _holds(stored, data, steps):
            return stored
        raise
    for state, step, placement in steps:
        _save_step_state(user, report, state, step=step, placement=placement)
    log_action(
        Event.Kind.REPORT_SUBMITTED, user=user, plan=report.reporting_round.plan, report=report
    )
    mail_report_submitted(user, report)
    return report


def _when(moment: datetime.datetime | None) -> str:
    """A moment as German date and time, e.g. "03.07.2026 14:05"."""
    if moment is None:
        return "–"
    return date_format(timezone.localtime(moment), "d.m.Y H:i")


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
    mail_report_returned(user, report)
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
    # The portal shows it from the next request: that measure's page, the lists and roll-ups.
    mark_statuses_changed(report.reporting_round.plan_id, [report.measure_id])
    return report


@transaction.atomic
def soft_delete_report(user: Any, report: StatusReport) -> StatusReport:
    """Mark an unpublished report deleted; it stays in the database and its history."""
    if report.is_deleted or report.state == State.PUBLISHED:
        raise InvalidTransition(
            _("A %(state)s report cannot be deleted.") % {"state": report.get_state_display()}
        )
    if not policies.can_delete_report(user, report):
        raise NotAllowed(_("You cannot delete this report."))
    require_open(report.reporting_round)
    write_report(user, report, {"is_deleted": True}, report.version)
    log_action(
        Event.Kind.REPORT_DELETED, user=user, plan=report.reporting_round.plan, report=report
    )
    return report


def _save_step_state(
    user: Any,
    report: StatusReport,
    state: str,
    *,
    step: Step | None = None,
    placement: Placement | None = None,
    step_id: int | None = None,
    placement_id: int | None = None,
) -> StepProgress:
    """Store the state of one step or block of the report, with a history record."""
    step_id = step.pk if step is not None else step_id
    placement_id = placement.pk if placement is not None else placement_id
    progress = StepProgress.objects.filter(
        report=report,
        step_id=step_id,  # type: ignore[misc]  # None matches IS NULL; the stubs want int
        placement_id=placement_id,
    ).first()
    if progress is None:
        progress = StepProgress(report=report, step_id=step_id, placement_id=placement_id)
    progress.state = state
    progress._history_user = user
    progress.save()
    return progress


def step_states_of_version(history_record: Any) -> dict[tuple[int | None, int | None], str]:
    """The step states as they were in a version: (placement id, step id) → state.

    A version's step changes are recorded after it and before the next version.
    """
    report_id = history_record.id
    later = (
        StatusReport.history.filter(id=report_id, history_date__gt=history_record.history_date)
        .order_by("history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    records = StepProgress.history.filter(report_id=report_id).order_by("history_date")
    if later is not None:
        records = records.filter(history_date__lt=later)
    states: dict[tuple[int | None, int | None], str] = {}
    for placement_id, step_id, state, kind in records.values_list(
        "placement_id", "step_id", "state", "history_type"
    ):
        if kind == "-":
            states.pop((placement_id, step_id), None)
        else:
            states[(placement_id, step_id)] = state
    return states


@transaction.atomic
def restore_version(user: Any, history_record: Any) -> StatusReport:
    """Bring back the form values of an earlier version of a report, as a new version."""
    report = StatusReport.objects.select_related(
        "reporting_round__plan", "measure", "organisation"
    ).get(pk=history_record.id)
    _require_changeable(user, report)
    old = history_record.instance
    values = {name: getattr(old, name) for name in StatusReport.USER_EDITABLE_FIELDS}
    values["status"] = old.status if old.status_id else None
    write_report(
        user,
        report,
        values,
        report.version,
        reason=_("Version %(version)s restored") % {"version": history_record.version},
    )
    # The steps come back too: a state the version did not record was still open then.
    then = step_states_of_version(history_record)
    now = {(p.placement_id, p.step_id): p.state for p in report.step_progress.all()}
    for key in sorted(set(then) | set(now), key=str):
        state = then.get(key, StepProgress.State.OPEN)
        if now.get(key, StepProgress.State.OPEN) != state:
            _save_step_state(user, report, state, placement_id=key[0], step_id=key[1])
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
    _require_changeable(user, report)
    if state not in StepProgress.State.values:
        raise InvalidData(_("Unknown state of a step."))
    _check_step(report, step, placement)
    # Changing a step changes the report: stale forms must notice it. The report's version
    # is written first, so the step's history record follows the version it belongs to.
    unchanged = _holds(report, None, [(state, step, placement)])
    changes = {} if unchanged else {"carried_forward_from": None}
    write_report(user, report, changes, report.version)
    progress = _save_step_state(user, report, state, step=step, placement=placement)
    log_action(
        Event.Kind.STEP_PROGRESS_SET,
        user=user,
        plan=report.reporting_round.plan,
        report=report,
        data={"state": str(StepProgress.State(state).label)},
    )
    return progress
