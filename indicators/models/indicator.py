"""An indicator of a plan: what it measures, in which direction is better, its targets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import Measure, Node, Plan


class Direction(models.TextChoices):
    """Which development of an indicator the plan wants."""

    UP = "up", _("higher is better")
    DOWN = "down", _("lower is better")
    BAND = "band", _("within a target band")
    NONE = "none", _("no direction (context)")


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    """Reads of indicators."""

    def of_plan(self, plan: Plan) -> IndicatorQuerySet:
        """The plan's indicators in the order of their names."""
        return self.filter(plan=plan).order_by("name")


class Indicator(models.Model):
    """An indicator of goal attainment; its definition's history is in IndicatorDefinition."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("Plan")
    )
    slug = models.SlugField(_("Short key"), max_length=80, help_text=_("Used in URLs and files"))
    name = models.CharField(_("Name"), max_length=300)
    short_name = models.CharField(_("Short name"), max_length=80, blank=True)
    unit = models.CharField(_("Unit"), max_length=80, help_text=_("e.g. “Einwohner”, “ha”"))
    definition = models.TextField(_("Definition"), blank=True)
    source = models.CharField(_("Source"), max_length=500, blank=True)
    licence = models.CharField(_("Licence"), max_length=300, blank=True)
    direction = models.CharField(
        _("Desired direction"), max_length=10, choices=Direction.choices, default=Direction.UP
    )
    band_low = models.DecimalField(
        _("Target band from"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    band_high = models.DecimalField(
        _("Target band to"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    precision = models.PositiveSmallIntegerField(
        _("Decimal places"), default=0, help_text=_("Shown on pages and maps")
    )
    version = models.PositiveIntegerField(
        _("Definition version"),
        default=1,
        editable=False,
        help_text=_("Counts redefinitions; each value keeps the version it was recorded under"),
    )
    goals = models.ManyToManyField(
        Node, blank=True, related_name="indicators", verbose_name=_("Goals and subgoals")
    )
    measures = models.ManyToManyField(
        Measure, blank=True, related_name="indicators", verbose_name=_("Measures")
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("Indicator")
        verbose_name_plural = _("Indicators")
        ordering = ["plan", "name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="indicators_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The short name where one is given, else the name."""
        return self.short_name or self.name


# The fields whose change is a redefinition: recorded as a new version, old values keep theirs.
DEFINING_FIELDS = ("name", "unit", "definition", "source", "licence", "direction")


class IndicatorDefinition(models.Model):
    """One version of an indicator's definition (append-only: a redefinition adds a row)."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="definitions",
        verbose_name=_("Indicator"),
    )
    version = models.PositiveIntegerField(_("Version"))
    name = models.CharField(_("Name"), max_length=300)
    unit = models.CharField(_("Unit"), max_length=80)
    definition = models.TextField(_("Definition"), blank=True)
    source = models.CharField(_("Source"), max_length=500, blank=True)
    licence = models.CharField(_("Licence"), max_length=300, blank=True)
    direction = models.CharField(_("Desired direction"), max_length=10, choices=Direction.choices)
    note = models.CharField(_("Reason for the change"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
        help_text=_("Empty when recorded by a command"),
    )

    class Meta:
        verbose_name = _("Definition version")
        verbose_name_plural = _("Definition versions")
        ordering = ["indicator", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "version"], name="indicators_definition_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (Version {self.version})"


class Target(models.Model):
    """A target value of an indicator for a year (for the county as a whole)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("Indicator")
    )
    value = models.DecimalField(_("Target value"), max_digits=20, decimal_places=6)
    year = models.PositiveSmallIntegerField(_("Target year"))

    class Meta:
        verbose_name = _("Target")
        verbose_name_plural = _("Targets")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="indicators_target_year"),
        ]

    def __str__(self) -> str:
        return f"{self.value.normalize():f} ({self.year})"
