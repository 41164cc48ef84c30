"""Comments of the offices and participants on a measure (internal, soft-deletable)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from plans.models import Measure, Organisation
from plans.models.audit_trail import AuditTrail

from .round import ReportingRound


class CommentQuerySet(models.QuerySet["Comment"]):
    """Reads of comments."""

    def current(self) -> CommentQuerySet:
        """Not hidden (softly deleted)."""
        return self.filter(is_deleted=False)


class Comment(AuditTrail, models.Model):
    """A plain-text remark on a measure by someone who takes part in it; never public."""

    # Plain text, stored as typed (only line endings normalised); escaped when rendered.
    MAX_LENGTH = 4000

    measure = models.ForeignKey(
        Measure,
        on_delete=models.PROTECT,
        related_name="comments",
        verbose_name=_("Measure"),
    )
    reporting_round = models.ForeignKey(
        ReportingRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("Reporting round"),
        help_text=_("The round open when the comment was written, if any"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Author"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Organisation"),
        help_text=_("The organisation the author acted for when writing"),
    )
    text = models.TextField(_("Text"), max_length=MAX_LENGTH, help_text=_("Plain text"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    is_deleted = models.BooleanField(_("hidden"), default=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    deleted_at = models.DateTimeField(_("hidden at"), null=True, blank=True)

    history = HistoricalRecords(verbose_name=_("historical comment"))
    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Comment")
        verbose_name_plural = _("Comments")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.measure.number}: {self.text[:60]}"
