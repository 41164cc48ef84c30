"""E-mails about a report's way through the workflow: submitted (to the coordination) and
returned (to the office's editors).

Sent after the write is committed, so a failing mail server never undoes a submission (the
failure is logged). Each mail is recorded as an event. Like the reminders, a report's mail of
one kind goes out at most once within `KEK_REMINDER_QUIET_HOURS`: submitting, returning and
submitting again within an afternoon does not fill the inboxes.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from monitoring.models import Event, StatusReport

from .audit import log_action

logger = logging.getLogger(__name__)


def _addresses(report: StatusReport, role: Membership.Role, user: Any) -> list[str]:
    """E-mail addresses of the active members with the role (of the report's organisation for
    editors), without the acting user."""
    members = get_user_model().objects.filter(
        is_active=True,
        memberships__plan_id=report.reporting_round.plan_id,
        memberships__role=role,
    )
    if role == Membership.Role.EDITOR:
        members = members.filter(memberships__organisation_id=report.organisation_id)
    if user is not None and user.is_authenticated:
        members = members.exclude(pk=user.pk)
    return sorted({email for email in members.values_list("email", flat=True) if email})


def _mailed_recently(report: StatusReport, kind: Event.Kind) -> bool:
    """Whether this report's mail of this kind went out within the quiet period."""
    since = timezone.now() - datetime.timedelta(hours=settings.KEK_REMINDER_QUIET_HOURS)
    return Event.objects.filter(kind=kind, report=report, created_at__gte=since).exists()


def _send_after_commit(messages: list[EmailMessage]) -> None:
    """Send once the transaction is committed; a failure is logged, the write stands."""

    def send() -> None:
        try:
            get_connection().send_messages(messages)
        except Exception:  # the mail server must not turn a saved submission into an error
            logger.warning("Could not send %s workflow e-mail(s)", len(messages), exc_info=True)

    transaction.on_commit(send)


def _mail(user: Any, report: StatusReport, kind: Event.Kind, role: Membership.Role) -> int:
    """Write the mail of `kind` to the members with `role`; return how many go out."""
    if _mailed_recently(report, kind):
        return 0
    addresses = _addresses(report, role, user)
    if not addresses:
        return 0
    context = {
        "report": report,
        "round": report.reporting_round,
        "measure": report.measure,
        "organisation": report.organisation,
        "url": f"{settings.KEK_BASE_URL.rstrip('/')}{reverse('staff:report', args=[report.pk])}",
    }
    name = "submitted" if kind == Event.Kind.SUBMISSION_MAILED else "returned"
    subject = " ".join(
        render_to_string(f"monitoring/email/report_{name}_subject.txt", context).split()
    )
    body = render_to_string(f"monitoring/email/report_{name}_body.txt", context)
    _send_after_commit([EmailMessage(subject, body, to=[address]) for address in addresses])
    log_action(
        kind,
        user=user,
        plan=report.reporting_round.plan,
        report=report,
        data={"emails": len(addresses)},
    )
    return len(addresses)


def mail_report_submitted(user: Any, report: StatusReport) -> int:
    """Tell the coordination that a report was submitted; return the number of e-mails."""
    return _mail(user, report, Event.Kind.SUBMISSION_MAILED, Membership.Role.COORDINATION)


def mail_report_returned(user: Any, report: StatusReport) -> int:
    """Tell the office's editors that their report was returned; return the number of e-mails."""
    return _mail(user, report, Event.Kind.RETURN_MAILED, Membership.Role.EDITOR)
