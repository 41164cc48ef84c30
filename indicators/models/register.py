"""The registers (Kataster) of measure 2-84: Gewerbeflächen, Brachflächen, Leerstand, …"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import Plan

from .indicator import Indicator
from .municipality import Municipality


class Quantity(models.TextChoices):
    """What an entry's figure counts."""

    AREA = "area", _("area in ha")
    COUNT = "count", _("count")


class EntryStatus(models.TextChoices):
    """Where an entry stands; only available entries count in the aggregate indicator."""

    AVAILABLE = "available", _("available")
    IN_PREPARATION = "in_preparation", _("in preparation")
    RESERVED = "reserved", _("reserved")
    TAKEN = "taken", _("in use / no longer available")


class OwnerType(models.TextChoices):
    """Who owns the site or building."""

    MUNICIPAL = "municipal", _("municipality")
    PUBLIC = "public", _("other public owner")
    PRIVATE = "private", _("private")
    MIXED = "mixed", _("mixed")
    UNKNOWN = "unknown", _("unknown")


# The fields of an entry a register may mark internal (not shown on public pages).
MAY_BE_INTERNAL = ("quantity", "status", "available_from", "owner_type", "location")


class Register(models.Model):
    """A configurable register of a plan: what its entries count, who leads it, what is public."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="registers", verbose_name=_("Plan")
    )
    slug = models.SlugField(_("Short key"), max_length=80, help_text=_("Used in URLs and files"))
    name = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("Description"), blank=True)
    quantity = models.CharField(
        _("Figure of an entry"), max_length=10, choices=Quantity.choices, default=Quantity.AREA
    )
    indicator_name = models.CharField(
        _("Name of the aggregate indicator"),
        max_length=300,
        help_text=_("e.g. “verfügbare Gewerbefläche”: the sum of the available entries"),
    )
    lead_offices = models.JSONField(
        _("Lead offices"),
        default=list,
        blank=True,
        help_text=_("Abbreviations of the offices that maintain every entry, e.g. [“VA”, “SLR”]"),
    )
    internal_fields = models.JSONField(
        _("Internal fields"),
        default=list,
        blank=True,
        help_text=_(
            "Fields not shown on public pages: quantity, status, available_from, "
            "owner_type, location"
        ),
    )
    indicator = models.OneToOneField(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="register",
        verbose_name=_("Aggregate indicator"),
    )
    order = models.PositiveSmallIntegerField(_("Order"), default=0)

    class Meta:
        verbose_name = _("Register")
        verbose_name_plural = _("Registers")
        ordering = ["plan", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="indicators_register_slug"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def unit(self) -> str:
        """The unit of the entries' figures."""
        return "ha" if self.quantity == Quantity.AREA else "Anzahl"

    def is_public(self, field: str) -> bool:
        """Whether public pages show the field."""
        return field not in self.internal_fields


class RegisterEntryQuerySet(models.QuerySet["RegisterEntry"]):
    """Reads of register entries."""

    def of_municipality(self, ags: str) -> RegisterEntryQuerySet:
        """The entries in the Gemeinde."""
        return self.filter(municipality__ags=ags)


class RegisterEntry(models.Model):
    """A site, area or building in a register, in one Gemeinde."""

    register = models.ForeignKey(
        Register, on_delete=models.CASCADE, related_name="entries", verbose_name=_("Register")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="register_entries",
        verbose_name=_("Town or municipality"),
    )
    designation = models.CharField(_("Designation"), max_length=300)
    quantity = models.DecimalField(
        _("Area in ha or count"), max_digits=12, decimal_places=2, help_text=_("≥ 0")
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=EntryStatus.choices, default=EntryStatus.AVAILABLE
    )
    available_from = models.DateField(_("Available from"), null=True, blank=True)
    owner_type = models.CharField(
        _("Owner"), max_length=20, choices=OwnerType.choices, default=OwnerType.UNKNOWN
    )
    latitude = models.DecimalField(_("Latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("Longitude"), max_digits=9, decimal_places=6)
    version = models.PositiveIntegerField(
        _("Version"), default=1, help_text=_("Counts the changes; detects concurrent edits")
    )
    source_file = models.CharField(_("File"), max_length=300, blank=True)
    source_row = models.PositiveIntegerField(_("Row in the file"), null=True, blank=True)
    changed_at = models.DateTimeField(_("changed at"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    objects = RegisterEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("Register entry")
        verbose_name_plural = _("Register entries")
        ordering = ["register", "municipality__name", "designation"]

    def __str__(self) -> str:
        return self.designation
