"""Writes of comments on measures: add one, hide one (soft delete).

Like the other services: each checks the policy (`policies.py`), raises a `MonitoringError`
with a German message, leaves a history record with the acting user and one `Event` through
`services.log_action`, all in one transaction.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.policies import organisation_of
from plans.models import Measure

from . import policies
from .models import Comment, Event, ReportingRound
from .services import InvalidData, InvalidTransition, NotAllowed, log_action


def _clean_text(text: str) -> str:
    """The text as typed, with line endings normalised and outer blank space removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise InvalidData(_("Write a comment."), {"text": [_("This field is required.")]})
    if "\x00" in text:
        message = _("The comment contains a character that cannot be stored.")
        raise InvalidData(message, {"text": [message]})
    if len(text) > Comment.MAX_LENGTH:
        message = _("A comment can have at most %(limit)s characters; this one has %(length)s.") % {
            "limit": Comment.MAX_LENGTH,
            "length": len(text),
        }
        raise InvalidData(message, {"text": [message]})
    return text


@transaction.atomic
def add_comment(user: Any, measure: Measure, text: str) -> Comment:
    """Comment on a measure; the comment belongs to the round open now (if any)."""
    if not policies.can_comment_on_measure(user, measure):
        raise NotAllowed(
            _("You cannot comment on measure %(measure)s.") % {"measure": measure.number}
        )
    text = _clean_text(text)
    current_round = (
        ReportingRound.objects.open().filter(plan_id=measure.plan_id).newest_first().first()
    )
    comment = Comment(
        measure=measure,
        reporting_round=current_round,
        author=user,
        organisation=organisation_of(user, measure.plan_id),
        text=text,
    )
    comment._history_user = user
    comment.save()
    log_action(
        Event.Kind.COMMENT_ADDED,
        user=user,
        plan=measure.plan,
        reporting_round=current_round,
        measure=measure,
        data={"comment": comment.pk},
    )
    return comment


@transaction.atomic
def delete_comment(user: Any, comment: Comment) -> Comment:
    """Hide a comment: it stays in the database and its history, but nobody lists it."""
    # Lock the row: of two concurrent hides exactly one writes (SQLite serialises anyway).
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("measure__plan")
        .get(pk=comment.pk)
    )
    if comment.is_deleted:
        raise InvalidTransition(_("The comment is already hidden."))
    if not policies.can_delete_comment(user, comment):
        raise NotAllowed(_("Only the coordination and the author can hide a comment."))
    comment.is_deleted = True
    comment.deleted_by = user
    comment.deleted_at = timezone.now()
    comment._history_user = user
    comment.save()
    log_action(
        Event.Kind.COMMENT_DELETED,
        user=user,
        plan=comment.measure.plan,
        reporting_round=comment.reporting_round,
        measure=comment.measure,
        data={"comment": comment.pk},
    )
    return comment
