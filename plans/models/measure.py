"""Measures (identified by their number within a plan) and key project references."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .audit_trail import AuditTrail
from .plan import Plan

_NUMBER = re.compile(r"^\s*(\d+)\s*-\s*(\d+)")


def number_sort_parts(number: str) -> tuple[int, int]:
    """Return (field part, sequence) of a measure number so that 1-2 < 1-10 < 2-1."""
    match = _NUMBER.match(number)
    return (int(match[1]), int(match[2])) if match else (0, 0)


class KeyProject(models.Model):
    """A Schlüsselvorhaben reference, e.g. "SV I.2" (field I, project 2)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="key_projects", verbose_name=_("Plan")
    )
    code = models.CharField(_("Code"), max_length=30, help_text=_("e.g. “SV I.2”"))
    field_number = models.PositiveSmallIntegerField(_("Field of action"))
    # The document's chapter on the key projects is not part of the imported text: the
    # coordination enters name and description in the back office.
    name = models.CharField(
        _("Name"),
        max_length=300,
        blank=True,
        help_text=_("The key project's name as the plan's chapter on key projects gives it."),
    )
    description = models.TextField(
        _("Description"),
        blank=True,
        help_text=_("What the key project is about, for the public page and the search."),
    )

    class Meta:
        verbose_name = _("Key project")
        verbose_name_plural = _("Key projects")
        ordering = ["plan", "field_number", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="plans_keyproject_unique_code"),
        ]

    def __str__(self) -> str:
        return self.code


class MeasureQuerySet(models.QuerySet["Measure"]):
    """Reads of measures."""

    def in_number_order(self) -> MeasureQuerySet:
        """Sorted by number as people read it: 1-2 before 1-10 before 2-1."""
        return self.order_by("plan_id", "field_part", "seq", "number")

    def interlinked(self) -> MeasureQuerySet:
        """Placed under more than one Handlungsfeld ("verflochten"); derived, never stored."""
        return self.annotate(
            placed_field_count=Count("placements__field_number", distinct=True)
        ).filter(placed_field_count__gt=1)

    def from_commission(self) -> MeasureQuerySet:
        """Taken from the final report of the Kommission für Wachstum, Strukturwandel, …"""
        return self.filter(commission=True)

    def deleted(self) -> MeasureQuerySet:
        """Softly deleted: out of the plan, kept with their placements, reports and history."""
        return self.filter(deleted_at__isnull=False)


class CurrentMeasureManager(models.Manager["Measure"]):
    """The measures of the plan: every read of the catalogue sees only these."""

    def get_queryset(self) -> MeasureQuerySet:
        return MeasureQuerySet(self.model, using=self._db).filter(deleted_at__isnull=True)


class Measure(AuditTrail, models.Model):
    """A measure of the plan, one per number; its occurrences in the document are placements."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="measures", verbose_name=_("Plan")
    )
    number = models.CharField(_("Number"), max_length=20, help_text=_("e.g. “2-84”"))
    home_field = models.PositiveSmallIntegerField(
        _("Home field of action"), help_text=_("From the prefix of the number")
    )
    title = models.TextField(_("Title"))
    commission = models.BooleanField(
        _("from the commission report"),
        default=False,
        help_text=_(
            "Marked with *: from the final report of the Commission on Growth, Structural "
            "Change and Employment"
        ),
    )
    field_part = models.PositiveSmallIntegerField(_("Sorting: field"), default=0, editable=False)
    seq = models.PositiveIntegerField(_("Sorting: sequence number"), default=0, editable=False)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("deleted by"),
        help_text=_("Empty when a re-import of the document dropped the measure"),
    )
    deletion_note = models.CharField(_("Reason for deletion"), max_length=500, blank=True)

    # Soft deletion: `objects` (the default manager, also behind plan.measures) leaves deleted
    # measures out; `all_objects` is for the import, the back office and the audit trail.
    objects = CurrentMeasureManager.from_queryset(MeasureQuerySet)()
    all_objects = MeasureQuerySet.as_manager()

    class Meta:
        default_manager_name = "objects"
        base_manager_name = "all_objects"
        verbose_name = _("Measure")
        verbose_name_plural = _("Measures")
        ordering = ["plan", "field_part", "seq", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plans_measure_unique_number"),
        ]
        indexes = [
            # A page of the measure list reads 50 rows in this order instead of sorting them all.
            models.Index(
                fields=["plan", "field_part", "seq", "number"], name="plans_measure_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title[:80]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the natural sort key in step with the number."""
        self.field_part, self.seq = number_sort_parts(self.number)
        super().save(*args, **kwargs)

    @property
    def is_deleted(self) -> bool:
        """Softly deleted (see `plans.measure_deletion`)."""
        return self.deleted_at is not None
