"""The append-only event log of monitoring: a typed entry with a German sentence per kind."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import Measure, Plan

from .report import StatusReport
from .round import ReportingRound


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an event."""


class EventQuerySet(models.QuerySet["Event"]):
    """Reads of events; bulk changes and deletions are refused."""

    def public(self) -> EventQuerySet:
        """Events the public timeline may show."""
        return self.filter(is_public=True)

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Events are append-only.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Events are append-only.")


class Event(models.Model):
    """Something that happened in monitoring; written only by `services.log_action`."""

    class Kind(models.TextChoices):
        ROUND_OPENED = "round_opened", _("Reporting round opened")
        ROUND_CLOSED = "round_closed", _("Reporting round closed")
        ROUND_REOPENED = "round_reopened", _("Reporting round reopened")
        REPORT_STARTED = "report_started", _("Report started")
        REPORT_SAVED = "report_saved", _("Report saved")
        REPORT_SUBMITTED = "report_submitted", _("Report submitted")
        REPORT_RETURNED = "report_returned", _("Report returned")
        REPORT_APPROVED = "report_approved", _("Report approved")
        REPORT_PUBLISHED = "report_published", _("Report published")
        REPORT_DELETED = "report_deleted", _("Report deleted")
        REPORT_RESTORED = "report_restored", _("Earlier version restored")
        STEP_PROGRESS_SET = "step_progress_set", _("Progress of a step set")
        REMINDERS_SENT = "reminders_sent", _("Reminders sent")
        COMMENT_ADDED = "comment_added", _("Comment written")
        COMMENT_DELETED = "comment_deleted", _("Comment hidden")
        SUBMISSION_MAILED = "submission_mailed", _("Coordination notified of a submission")
        RETURN_MAILED = "return_mailed", _("Office notified of a return")

    # One sentence per kind for the timeline; placeholders come from `data`.
    SENTENCES = {
        Kind.ROUND_OPENED: _("Reporting round “%(round)s” was opened."),
        Kind.ROUND_CLOSED: _("Reporting round “%(round)s” was closed."),
        Kind.ROUND_REOPENED: _("Reporting round “%(round)s” was reopened: %(reason)s"),
        Kind.REPORT_STARTED: _("%(organisation)s started a report for %(measure)s."),
        Kind.REPORT_SAVED: _("The report of %(organisation)s for %(measure)s was saved."),
        Kind.REPORT_SUBMITTED: _("%(organisation)s submitted the report for %(measure)s."),
        Kind.REPORT_RETURNED: _("The report of %(organisation)s for %(measure)s was returned."),
        Kind.REPORT_APPROVED: _("The report of %(organisation)s for %(measure)s was approved."),
        Kind.REPORT_PUBLISHED: _("Report for %(measure)s was published."),
        Kind.REPORT_DELETED: _("The report of %(organisation)s for %(measure)s was deleted."),
        Kind.REPORT_RESTORED: _(
            "Version %(restored_version)s of the report for %(measure)s was restored."
        ),
        Kind.STEP_PROGRESS_SET: _("A step of %(measure)s was set to “%(state)s”."),
        Kind.REMINDERS_SENT: _("Reminders for “%(round)s” were sent to %(organisations)s."),
        Kind.COMMENT_ADDED: _("A comment on %(measure)s was written."),
        Kind.COMMENT_DELETED: _("A comment on %(measure)s was hidden."),
        Kind.SUBMISSION_MAILED: _(
            "The coordination was told by e-mail that %(organisation)s submitted the report "
            "for %(measure)s (%(emails)s e-mails)."
        ),
        Kind.RETURN_MAILED: _(
            "The editors of %(organisation)s were told by e-mail that the report for "
            "%(measure)s was returned (%(emails)s e-mails)."
        ),
    }
    PUBLIC_KINDS = frozenset({Kind.ROUND_OPENED, Kind.ROUND_CLOSED, Kind.REPORT_PUBLISHED})

    kind = models.CharField(_("Kind"), max_length=30, choices=Kind.choices)
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="+", verbose_name=_("Plan")
    )
    reporting_round = models.ForeignKey(
        ReportingRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("Reporting round"),
    )
    report = models.ForeignKey(
        StatusReport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("Status report"),
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="monitoring_events",
        verbose_name=_("Measure"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("User"),
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    is_public = models.BooleanField(_("public"), default=False)
    data = models.JSONField(_("Details"), default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("Event")
        verbose_name_plural = _("Events")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.sentence()

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only: an event that exists cannot be changed."""
        if self.pk is not None or kwargs.get("force_update"):
            raise AppendOnlyError("Events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Events are append-only.")

    def sentence(self) -> str:
        """The German sentence of the public timeline."""
        return str(self.SENTENCES[self.Kind(self.kind)]) % {**_EMPTY_PLACEHOLDERS, **self.data}


_EMPTY_PLACEHOLDERS = {
    key: ""
    for key in (
        "round",
        "organisation",
        "measure",
        "state",
        "restored_version",
        "organisations",
        "reason",
        "emails",
    )
}
