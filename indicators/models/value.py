"""Values of an indicator per area (county or Gemeinde) and year, with their provenance."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .indicator import Indicator


class IndicatorValueQuerySet(models.QuerySet["IndicatorValue"]):
    """Reads of indicator values."""

    def current(self) -> IndicatorValueQuerySet:
        """The values in force: a changed value is superseded by a new row, never overwritten."""
        return self.filter(superseded_at__isnull=True)


class IndicatorValue(models.Model):
    """A value of an indicator for the county (AGS 14729) or a Gemeinde (8-digit AGS) in a year.

    Append-only: an import that changes a value marks the old row superseded and adds a new
    one, so every value in force says who recorded it, when, from which file and row.
    """

    class Origin(models.TextChoices):
        IMPORT = "import", _("file import")
        MANUAL = "manual", _("entered by hand")
        SETUP = "setup", _("shipped data")
        REGISTER = "register", _("register aggregate")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("Indicator")
    )
    ags = models.CharField(
        _("AGS"), max_length=8, help_text=_("14729 for the county, 8 digits for a Gemeinde")
    )
    year = models.PositiveSmallIntegerField(_("Year"))
    reference_date = models.DateField(
        _("Reference date"), null=True, blank=True, help_text=_("e.g. 31.12. of the year")
    )
    value = models.DecimalField(_("Value"), max_digits=20, decimal_places=6)
    definition_version = models.PositiveIntegerField(
        _("Definition version"), help_text=_("The indicator's definition the value follows")
    )
    origin = models.CharField(_("Origin"), max_length=10, choices=Origin.choices)
    source_note = models.CharField(_("Source"), max_length=500, blank=True)
    source_file = models.CharField(_("File"), max_length=300, blank=True)
    source_row = models.PositiveIntegerField(_("Row in the file"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
        help_text=_("Empty when recorded by a command"),
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("Indicator value")
        verbose_name_plural = _("Indicator values")
        ordering = ["indicator", "ags", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "ags", "year"],
                condition=models.Q(superseded_at__isnull=True),
                name="indicators_one_current_value",
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "year", "ags"], name="indicators_value_by_year"),
            # A Gemeinde's current values over all indicators (its page): without it the
            # read probes every indicator's values and drops the other Gemeinden's (~97 %).
            models.Index(
                fields=["ags", "indicator", "year"],
                condition=models.Q(superseded_at__isnull=True),
                name="indicators_value_by_area",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.ags} {self.year}: {self.value}"
