"""Kreistag papers (Drucksachen), their confirmed links to measures and the sync's proposals."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import Measure, Plan


def newest_first(prefix: str = "") -> tuple[Any, ...]:
    """The order of papers everywhere: newest date first (undated last), then by number."""
    return (models.F(f"{prefix}date").desc(nulls_last=True), f"{prefix}reference", f"{prefix}pk")


class CouncilPaperQuerySet(models.QuerySet["CouncilPaper"]):
    """Named reads of Kreistag papers."""

    def cited_by(self, measure: Measure) -> CouncilPaperQuerySet:
        """The papers the coordination has linked to the measure, newest first."""
        return self.filter(links__measure=measure).newest_first()

    def newest_first(self) -> CouncilPaperQuerySet:
        """Newest date first (papers without a date last), then by number."""
        return self.order_by(*newest_first())


class CouncilPaper(models.Model):
    """A paper of the Kreistag (Drucksache, OParl `Paper`): number, title, date, decision."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="council_papers", verbose_name=_("Plan")
    )
    oparl_id = models.URLField(
        _("OParl id"),
        max_length=500,
        blank=True,
        help_text=_("The paper's URL in the council information system's OParl interface"),
    )
    reference = models.CharField(
        _("Paper number"),
        max_length=100,
        blank=True,
        help_text=_("Drucksachen-Nr., e.g. “2024/117”"),
    )
    name = models.CharField(_("Title"), max_length=500)
    date = models.DateField(_("Date"), null=True, blank=True)
    paper_type = models.CharField(
        _("Paper type"), max_length=200, blank=True, help_text=_("e.g. “Beschlussvorlage”")
    )
    decision = models.TextField(
        _("Decision"),
        blank=True,
        help_text=_("The result of the deciding consultation, e.g. “einstimmig beschlossen”"),
    )
    web_url = models.URLField(
        _("Web page"), max_length=500, blank=True, help_text=_("The paper's public page")
    )
    concerns_plan = models.BooleanField(
        _("Concerns the plan as a whole"),
        default=False,
        help_text=_("Confirmed: the paper decides on the plan itself (names the KEK)"),
    )
    synced_at = models.DateTimeField(_("Last synced"), null=True, blank=True, editable=False)

    objects = CouncilPaperQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kreistag paper")
        verbose_name_plural = _("Kreistag papers")
        ordering = ["-date", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "oparl_id"],
                condition=~models.Q(oparl_id=""),
                name="council_paper_unique_oparl_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}".strip()


class PaperLink(models.Model):
    """A measure cites a Kreistag paper: confirmed by the coordination (who, when)."""

    measure = models.ForeignKey(
        Measure,
        on_delete=models.CASCADE,
        related_name="council_links",
        verbose_name=_("Measure"),
    )
    paper = models.ForeignKey(
        CouncilPaper, on_delete=models.CASCADE, related_name="links", verbose_name=_("Paper")
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("Confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("Confirmed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Link measure ↔ paper")
        verbose_name_plural = _("Links measure ↔ paper")
        ordering = ["measure__number", "paper"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "paper"], name="council_link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.measure.number} ↔ {self.paper.reference or self.paper.name}"

    def clean(self) -> None:
        """A paper is cited only by measures of its own plan."""
        if self.measure_id and self.paper_id and self.measure.plan_id != self.paper.plan_id:
            raise ValidationError(_("The measure and the paper belong to different plans."))


class LinkProposal(models.Model):
    """A link the OParl sync proposes because the paper names a measure (or the KEK)."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")

    paper = models.ForeignKey(
        CouncilPaper, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("Paper")
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="council_proposals",
        verbose_name=_("Measure"),
        help_text=_("Empty: the paper names the KEK as a whole"),
    )
    reason = models.CharField(
        _("Found"), max_length=300, help_text=_("What the sync found in the paper, e.g. “2-84”")
    )
    state = models.CharField(_("State"), max_length=20, choices=State, default=State.OPEN)
    proposed_at = models.DateTimeField(_("Proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Decided by"),
    )
    decided_at = models.DateTimeField(_("Decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Link proposal")
        verbose_name_plural = _("Link proposals")
        ordering = ["state", "-proposed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "measure"],
                condition=models.Q(measure__isnull=False),
                name="council_proposal_unique_measure",
            ),
            # One proposal per paper for the KEK as a whole (measure empty).
            models.UniqueConstraint(
                fields=["paper"],
                condition=models.Q(measure__isnull=True),
                name="council_proposal_unique_plan",
            ),
        ]

    def __str__(self) -> str:
        target = self.measure.number if self.measure else "KEK"
        return f"{self.paper} → {target}"

    @property
    def plan_id(self) -> int:
        """The plan of the proposal (the back office scopes by it)."""
        return self.paper.plan_id
