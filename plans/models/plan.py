"""A plan (one Kreisentwicklungskonzept) and the nodes of its four-level hierarchy."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .audit_trail import AuditTrail


class PlanQuerySet(models.QuerySet["Plan"]):
    """Reads of plans."""

    def current(self) -> Plan:
        """The plan the installation shows (settings.KEK_PLAN_SLUG); Plan.DoesNotExist if none."""
        return self.get(slug=settings.KEK_PLAN_SLUG)


class Plan(models.Model):
    """One imported strategy document, e.g. KEK 2030 of Landkreis Leipzig."""

    slug = models.SlugField(_("Short name"), max_length=60, unique=True)
    title = models.CharField(_("Title"), max_length=300)
    level_names = models.JSONField(
        _("Level names"),
        default=list,
        help_text=_(
            'Four names from top to bottom as a JSON list, e.g. ["Handlungsfeld", "Leitziel", '
            '"Teilziel", "Handlungsansatz"]'
        ),
    )
    source_sha256 = models.CharField(
        _("Source checksum"), max_length=64, blank=True, help_text=_("SHA-256 of the document")
    )
    source_lines = models.PositiveIntegerField(_("Source lines"), default=0)
    imported_at = models.DateTimeField(_("imported at"))
    revision = models.PositiveIntegerField(
        _("Revision"),
        default=0,
        editable=False,
        help_text=_("Counts changes of the catalogue; page caches and the search index follow it."),
    )
    catalogue_revision = models.PositiveIntegerField(
        _("Catalogue revision"),
        default=0,
        editable=False,
        help_text=_(
            "Counts the changes other than published statuses; files that show no status follow it."
        ),
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("Plan")
        verbose_name_plural = _("Plans")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title

    def level_name(self, level: int) -> str:
        """Return the configured German name of a hierarchy level (1–4)."""
        names = list(self.level_names or [])
        return names[level - 1] if 0 < level <= len(names) else str(level)


class NodeQuerySet(models.QuerySet["Node"]):
    """Reads of the plan hierarchy."""

    def fields(self) -> NodeQuerySet:
        """Level 1: the Handlungsfelder."""
        return self.filter(level=1)

    def in_document_order(self) -> NodeQuerySet:
        """In the order the document presents them."""
        return self.order_by("plan_id", "order")


class Node(AuditTrail, models.Model):
    """A node of the hierarchy: level 1 Handlungsfeld … level 4 Handlungsansatz."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="nodes", verbose_name=_("Plan")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent node"),
    )
    level = models.PositiveSmallIntegerField(_("Level"), help_text=_("1 (top) to 4"))
    key = models.CharField(
        _("Key"), max_length=60, help_text=_("Stable path in the plan, e.g. “1.3/2”")
    )
    code = models.CharField(_("Number"), max_length=30, help_text=_("As displayed, e.g. “1.3.2”"))
    label = models.CharField(_("Label"), max_length=500)
    text = models.TextField(_("Text"), blank=True)
    pages = models.CharField(_("Page numbers"), max_length=60, blank=True)
    colour = models.CharField(_("Colour"), max_length=20, blank=True)
    order = models.PositiveIntegerField(_("Order"), default=0)
    line = models.PositiveIntegerField(_("Source line"), null=True, blank=True)
    aliases = models.JSONField(
        _("other labels"),
        default=list,
        blank=True,
        help_text=_("Other spellings of this node in the document"),
    )

    objects = NodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("Outline node")
        verbose_name_plural = _("Outline nodes")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="plans_node_unique_key"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="plans_node_level_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"
