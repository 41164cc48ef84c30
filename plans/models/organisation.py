"""Organisations named in a plan: offices of the Landratsamt, municipalities and partners."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .audit_trail import AuditTrail
from .plan import Plan

if TYPE_CHECKING:
    from .measure import Measure


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    """Reads of organisations."""

    def leading(self, measure: Measure | None = None) -> OrganisationQuerySet:
        """Organisations printed as lead (Ansprechpartner) of the measure, or of any measure."""
        if measure is None:
            return self.filter(lead_rows__isnull=False).distinct()
        return self.filter(lead_rows__placement__measure=measure).distinct()

    def taking_part_in(self, measure: Measure) -> OrganisationQuerySet:
        """Organisations printed as participants (Beteiligte) of the measure."""
        return self.filter(participant_rows__placement__measure=measure).distinct()

    def gemeinden(self) -> OrganisationQuerySet:
        """Organisations that are one Gemeinde (they carry its AGS)."""
        return self.exclude(ags="")

    def explained_in_glossary(self) -> OrganisationQuerySet:
        """Organisations the document's glossaries explain."""
        return self.filter(in_glossary=True)


class Organisation(AuditTrail, models.Model):
    """An office, a municipality or a partner, identified by its abbreviation within a plan."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("Office of the district administration")
        MUNICIPALITY = "municipality", _("Municipality")
        PARTNER = "partner", _("Partner")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="organisations", verbose_name=_("Plan")
    )
    abbreviation = models.CharField(_("Abbreviation"), max_length=100)
    name = models.CharField(_("Name"), max_length=300)
    kind = models.CharField(_("Kind"), max_length=20, choices=Kind.choices)
    in_glossary = models.BooleanField(
        _("in the list of abbreviations"),
        default=True,
        help_text=_("No: only named in a table, not explained by the document"),
    )
    ags = models.CharField(
        _("Official municipality key (AGS)"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^\d{8}$", _("Eight digits, e.g. “14729160”"))],
        help_text=_("Only for a Gemeinde: its 8-digit key; its editors maintain its data"),
    )
    line = models.PositiveIntegerField(_("Source line"), null=True, blank=True)
    aliases = models.JSONField(
        _("other spellings"),
        default=list,
        blank=True,
        help_text=_("Spellings in the document that mean this organisation, e.g. “Afs”"),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisations")
        ordering = ["plan", "abbreviation"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "abbreviation"], name="plans_organisation_unique_abbreviation"
            ),
        ]

    def __str__(self) -> str:
        return (
            self.abbreviation
            if self.name == self.abbreviation
            else f"{self.abbreviation} – {self.name}"
        )
