"""E-mail reminders to the offices that still owe reports in a round."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Membership
from monitoring import policies
from monitoring.models import Event, ReportingRound
from monitoring.worklists import outstanding_by_organisation
from plans.models import Organisation

from .audit import log_action
from .errors import InvalidTransition, NotAllowed


def recently_reminded(
    reporting_round: ReportingRound, now: datetime.datetime | None = None
) -> dict[int, datetime.datetime]:
    """Offices reminded in this round within the quiet period: organisation id → when."""
    now = now or timezone.now()
    since = now - datetime.timedelta(hours=settings.KEK_REMINDER_QUIET_HOURS)
    reminded: dict[int, datetime.datetime] = {}
    for created_at, data in Event.objects.filter(
        kind=Event.Kind.REMINDERS_SENT, reporting_round=reporting_round, created_at__gte=since
    ).values_list("created_at", "data"):
        for organisation_id in data.get("organisation_ids", []):
            reminded[organisation_id] = max(created_at, reminded.get(organisation_id, created_at))
    return reminded


@transaction.atomic
def send_reminders(
    user: Any, reporting_round: ReportingRound, organisation: Organisation | None = None
) -> int:
    """E-mail the editors of every office (or one) that still owes reports; return the count.

    One message per editor, listing the office's measures that are missing, in draft or
    returned. Editors without an e-mail address are skipped; an office none of whose editors
    has one is recorded as unreachable, not as reminded. An office reminded in this round
    within the last `KEK_REMINDER_QUIET_HOURS` is not reminded again (a second click or an
    hourly job sends nothing twice); naming such an office explicitly is refused.
    """
    if not policies.can_send_reminders(user, reporting_round):
        raise NotAllowed(_("Only the coordination can send reminders."))
    # Lock the round (PostgreSQL): two concurrent sends see each other's event.
    reporting_round = ReportingRound.objects.select_for_update().get(pk=reporting_round.pk)
    if not reporting_round.is_open:
        raise InvalidTransition(
            _("The reporting round “%(round)s” is closed.") % {"round": reporting_round.name}
        )
    reminded = recently_reminded(reporting_round)
    if organisation is not None and organisation.pk in reminded:
        raise InvalidTransition(
            _(
                "%(organisation)s was already reminded on %(when)s; "
                "it can be reminded again %(hours)s hours later."
            )
            % {
                "organisation": organisation.abbreviation,
                "when": date_format(
                    timezone.localtime(reminded[organisation.pk]), "DATETIME_FORMAT"
                ),
                "hours": settings.KEK_REMINDER_QUIET_HOURS,
            }
        )
    outstanding = outstanding_by_organisation(reporting_round, organisation)
    skipped = sorted(o.abbreviation for o in outstanding if o.pk in reminded)
    outstanding = {o: items for o, items in outstanding.items() if o.pk not in reminded}
    messages = []
    reached: list[Organisation] = []  # offices with at least one editor with an address
    for office, items in outstanding.items():
        addresses = [
            email
            for email in get_user_model()
            .objects.filter(
                is_active=True,
                memberships__plan_id=reporting_round.plan_id,
                memberships__role=Membership.Role.EDITOR,
                memberships__organisation=office,
            )
            .values_list("email", flat=True)
            if email
        ]
        if not addresses:
            continue
        reached.append(office)
        context = {
            "round": reporting_round,
            "organisation": office,
            "items": items,
            # Straight to what is still owed in this round (the filters of Meine Maßnahmen).
            "url": f"{settings.KEK_BASE_URL.rstrip('/')}{reverse('staff:my_measures')}"
            f"?runde={reporting_round.pk}&stand=outstanding",
        }
        subject = " ".join(
            render_to_string("monitoring/email/reminder_subject.txt", context).split()
        )
        body = render_to_string("monitoring/email/reminder_body.txt", context)
        messages += [EmailMessage(subject, body, to=[address]) for address in addresses]
    sent = get_connection().send_messages(messages) if messages else 0
    log_action(
        Event.Kind.REMINDERS_SENT,
        user=user,
        plan=reporting_round.plan,
        reporting_round=reporting_round,
        data={
            "organisations": ", ".join(sorted(o.abbreviation for o in reached)) or "–",
            "organisation_ids": sorted(o.pk for o in reached),
            "unreachable": ", ".join(
                sorted(o.abbreviation for o in outstanding if o not in reached)
            ),
            "skipped": ", ".join(skipped),
            "emails": sent or 0,
        },
    )
    return sent or 0
