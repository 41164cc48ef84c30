"""A Gemeinde's contribution to a measure led by “Kommunen”, per reporting round."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from monitoring.models import ReportingRound, StatusOption
from plans.models import Measure

from .municipality import Municipality

# The short text a Gemeinde writes about its part (as long as a report's obstacles field).
CONTRIBUTION_TEXT_LIMIT = 1000


class MunicipalContribution(models.Model):
    """What one Gemeinde says about its part of a measure in one round: a status and a text.

    Frozen with its round like the status reports: never saved or deleted while the round is
    closed (`ClosedRoundError`, asked of the database as for reports).
    """

    reporting_round = models.ForeignKey(
        ReportingRound,
        on_delete=models.CASCADE,
        related_name="municipal_contributions",
        verbose_name=_("Reporting round"),
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.CASCADE,
        related_name="municipal_contributions",
        verbose_name=_("Measure"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="contributions",
        verbose_name=_("Town or municipality"),
    )
    status = models.ForeignKey(
        StatusOption, on_delete=models.PROTECT, related_name="+", verbose_name=_("Status")
    )
    text = models.TextField(
        _("What the municipality does"),
        blank=True,
        max_length=CONTRIBUTION_TEXT_LIMIT,
        help_text=_("At most 1000 characters"),
    )
    version = models.PositiveIntegerField(
        _("Version"), default=1, help_text=_("Counts the changes; detects concurrent edits")
    )
    changed_at = models.DateTimeField(_("changed at"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Contribution of a municipality")
        verbose_name_plural = _("Contributions of the municipalities")
        ordering = ["reporting_round", "measure", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporting_round", "measure", "municipality"],
                name="indicators_contribution_once_per_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure.number} – {self.municipality.name} ({self.reporting_round})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, unless the round is closed (`ClosedRoundError`)."""
        ReportingRound.objects.filter(pk=self.reporting_round_id).refuse_changes_if_closed()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Delete, unless the round is closed (`ClosedRoundError`)."""
        ReportingRound.objects.filter(pk=self.reporting_round_id).refuse_changes_if_closed()
        return super().delete(*args, **kwargs)
