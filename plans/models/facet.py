"""Measure facets: the values measures can be filtered by, each with the measures having it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .plan import Plan


class MeasureFacet(models.Model):
    """One value of a facet, e.g. lead "SLR" or field 2, and the measures that have it.

    A measure has a value if some placement has it. Derived, never edited:
    `plans.services.refresh_measure_facets` rewrites a plan's rows after every import and
    back-office change. The measure list intersects these lists instead of joining placements
    with their lead, participant and key project rows, which grows with the plan; the
    directory pages read the counts.
    """

    class Facet(models.TextChoices):
        FIELD = "field", _("Field of action")
        GOAL = "goal", _("Guiding goal")
        SUBGOAL = "subgoal", _("Sub-goal")
        LEAD = "lead", _("Lead role")
        PARTICIPANT = "participant", _("Participation")
        PRIORITY = "priority", _("Priority")
        KEY_PROJECT = "key_project", _("Key project")
        COMMISSION = "commission", _("from the commission report")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="measure_facets", verbose_name=_("Plan")
    )
    facet = models.CharField(_("Facet"), max_length=20, choices=Facet.choices)
    value = models.CharField(
        _("Value"),
        max_length=100,
        help_text=_("Field number, goal or sub-goal key, abbreviation, priority level or code"),
    )
    measure_count = models.PositiveIntegerField(_("Number of measures"))
    measure_ids = models.JSONField(
        _("Measures"), default=list, help_text=_("Ids of the measures, in number order")
    )

    class Meta:
        verbose_name = _("Measure facet")
        verbose_name_plural = _("Measure facets")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "facet", "value"], name="plans_measurefacet_unique_value"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facet}={self.value} ({self.measure_count})"
