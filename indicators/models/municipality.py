"""The Gemeinden of the county, with their official key (AGS), area and boundary."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Landkreis Leipzig: values for the whole county carry its 5-digit key.
COUNTY_AGS = "14729"
COUNTY_NAME = "Landkreis Leipzig"


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    """Reads of Gemeinden."""

    def by_name(self) -> MunicipalityQuerySet:
        """In alphabetical order of their names."""
        return self.order_by("name")


class Municipality(models.Model):
    """A Gemeinde (town or municipality) of the county, identified by its 8-digit AGS."""

    ags = models.CharField(
        _("Official municipality key (AGS)"),
        max_length=8,
        unique=True,
        help_text=_("8 digits, e.g. “14729160”"),
    )
    name = models.CharField(_("Name"), max_length=200)
    area_km2 = models.DecimalField(
        _("Area in km²"), max_digits=10, decimal_places=2, help_text=_("Cadastral area")
    )
    area_date = models.DateField(_("Area as of"))
    boundary = models.JSONField(
        _("Boundary"),
        default=list,
        help_text=_("Rings of the polygon as [longitude, latitude] pairs (WGS84)"),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("Town or municipality")
        verbose_name_plural = _("Towns and municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.ags})"


class MeasureMunicipality(models.Model):
    """A Gemeinde a measure concerns, tagged by the coordination (or an import)."""

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="+", verbose_name=_("Plan")
    )
    measure = models.ForeignKey(
        "plans.Measure",
        on_delete=models.CASCADE,
        related_name="municipality_tags",
        verbose_name=_("Measure"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="measure_tags",
        verbose_name=_("Town or municipality"),
    )

    class Meta:
        verbose_name = _("Gemeinde of a measure")
        verbose_name_plural = _("Gemeinden of measures")
        ordering = ["measure", "municipality"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "municipality"], name="indicators_measure_municipality_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} – {self.municipality}"

    def clean(self) -> None:
        """The measure belongs to the tag's plan."""
        measure_id, plan_id = self.measure_id, self.plan_id
        if measure_id is not None and plan_id is not None and self.measure.plan_id != plan_id:
            raise ValidationError({"measure": _("The measure belongs to another plan.")})
