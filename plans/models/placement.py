"""Placements (each occurrence of a measure in a table of the document) and their steps."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Protocol, TypeVar

from django.db import models
from django.db.models import F
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .audit_trail import AuditTrail
from .measure import KeyProject, Measure
from .organisation import Organisation
from .plan import Node, Plan

_PLUSES = re.compile(r"\++")


def priority_level(priority: str) -> int | None:
    """Return the number of "+" of the highest printed level (1–3), None when nothing is printed."""
    runs = _PLUSES.findall(priority or "")
    return min(max(len(run) for run in runs), 3) if runs else None


class _Row(Protocol):
    parent_id: int | None
    field_number: int


RowT = TypeVar("RowT", bound=_Row)


def representative_row(rows: Sequence[RowT], home_field: int) -> RowT | None:
    """Of a measure's rows in document order, the one that stands for the measure where one row
    is shown: its first row (not a building block) in its home field, else its first row.

    The measure list, the open-data files and the progress report take a measure's lead,
    participants, priority and Leitziel from this row (a measure placed in several fields
    prints different leads there: 2-58 is led by "HPA, BLR" in field 1 and by "JA" at home).
    """
    top = [row for row in rows if row.parent_id is None] or list(rows)
    return next((row for row in top if row.field_number == home_field), top[0] if top else None)


class PlacementQuerySet(models.QuerySet["Placement"]):
    """Reads of placements."""

    def in_document_order(self) -> PlacementQuerySet:
        """In the order the rows appear in the document."""
        return self.order_by("plan_id", "order")

    def building_blocks(self) -> PlacementQuerySet:
        """Numberless rows that belong to the measure row above them ("Bausteine")."""
        return self.filter(parent__isnull=False)

    def measure_rows(self) -> PlacementQuerySet:
        """Rows that are not building blocks of another row."""
        return self.filter(parent__isnull=True)

    def in_field(self, field_number: int) -> PlacementQuerySet:
        """Rows in the tables of one Handlungsfeld."""
        return self.filter(field_number=field_number)

    def led_by(self, organisation: Organisation) -> PlacementQuerySet:
        """Rows that print the organisation as lead (Ansprechpartner)."""
        return self.filter(lead_rows__organisation=organisation).distinct()

    def representatives(self) -> dict[int, Placement]:
        """Measure id → its representative row among these rows (`representative_row`)."""
        rows: dict[int, list[Placement]] = defaultdict(list)
        homes: dict[int, int] = {}
        for row in self.in_document_order().annotate(home=F("measure__home_field")):
            rows[row.measure_id].append(row)
            homes[row.measure_id] = row.home  # type: ignore[attr-defined]  # annotated
        return {
            measure_id: chosen
            for measure_id, found in rows.items()
            if (chosen := representative_row(found, homes[measure_id])) is not None
        }


class CurrentPlacementManager(models.Manager["Placement"]):
    """Placements of the plan's measures: those of softly deleted measures are left out."""

    def get_queryset(self) -> PlacementQuerySet:
        return PlacementQuerySet(self.model, using=self._db).filter(
            measure__deleted_at__isnull=True
        )


class Placement(AuditTrail, models.Model):
    """One occurrence of a measure in a table row: its position, wording, lead and priority."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="placements", verbose_name=_("Plan")
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, related_name="placements", verbose_name=_("Measure")
    )
    node = models.ForeignKey(
        Node,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("Node"),
        help_text=_("The deepest outline node the row stands under"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="building_blocks",
        verbose_name=_("belongs to (building block of)"),
        help_text=_(
            "Row without a number of its own: building block of the measure in the row above"
        ),
    )
    order = models.PositiveIntegerField(_("Position in the document"))
    line = models.PositiveIntegerField(_("Source line"))
    field_number = models.PositiveSmallIntegerField(_("Field of action"))
    goal_code = models.CharField(_("Guiding goal"), max_length=10)
    subgoal_label = models.TextField(_("Sub-goal (as printed)"), blank=True)
    approach_label = models.TextField(_("Approach (as printed)"), blank=True)
    number_cell = models.CharField(_("No. cell (as printed)"), max_length=200, blank=True)
    title = models.TextField(_("Wording"), blank=True)
    text = models.TextField(_("whole measure cell"), blank=True)
    lead = models.TextField(_("Contact (as printed)"), blank=True)
    participants = models.TextField(_("Participants (as printed)"), blank=True)
    priority = models.CharField(_("Priority (as printed)"), max_length=20, blank=True)
    priority_level = models.PositiveSmallIntegerField(
        _("Priority (level)"),
        null=True,
        blank=True,
        help_text=_(
            "Number of “+” of the highest printed level (1–3); empty when nothing is printed"
        ),
    )
    commission = models.BooleanField(_("from the commission report"), default=False)
    key_projects: models.ManyToManyField[KeyProject, PlacementKeyProject] = models.ManyToManyField(
        KeyProject,
        through="PlacementKeyProject",
        related_name="placements",
        blank=True,
        verbose_name=_("Key projects"),
    )
    lead_organisations: models.ManyToManyField[Organisation, PlacementLead] = (
        models.ManyToManyField(
            Organisation,
            through="PlacementLead",
            related_name="led_placements",
            blank=True,
            verbose_name=_("lead organisations"),
        )
    )
    participant_organisations: models.ManyToManyField[Organisation, PlacementParticipant] = (
        models.ManyToManyField(
            Organisation,
            through="PlacementParticipant",
            related_name="participating_placements",
            blank=True,
            verbose_name=_("participating organisations"),
        )
    )

    # Like Measure: `objects` leaves out the placements of deleted measures, `all_objects` not.
    objects = CurrentPlacementManager.from_queryset(PlacementQuerySet)()
    all_objects = PlacementQuerySet.as_manager()

    class Meta:
        default_manager_name = "objects"
        base_manager_name = "all_objects"
        verbose_name = _("Placement")
        verbose_name_plural = _("Placements")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="plans_placement_unique_order"),
            models.CheckConstraint(
                condition=models.Q(priority_level__isnull=True)
                | models.Q(priority_level__gte=1, priority_level__lte=3),
                name="plans_placement_priority_level_1_to_3",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(number)s (field %(field)s, line %(line)s)") % {
            "number": self.measure.number,
            "field": self.field_number,
            "line": self.line,
        }


class PlacementRelation(models.Model):
    """A link from a placement to something it prints, keeping the printed position."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="+", verbose_name=_("Placement")
    )
    position = models.PositiveSmallIntegerField(_("Position"))

    class Meta:
        abstract = True
        ordering = ["placement", "position"]


class PlacementLead(PlacementRelation):
    """An organisation printed as lead (Ansprechpartner) of a placement."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="lead_rows", verbose_name=_("Placement")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="lead_rows",
        verbose_name=_("Organisation"),
    )

    class Meta(PlacementRelation.Meta):
        verbose_name = _("Lead role")
        verbose_name_plural = _("Lead roles")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "position"], name="plans_placementlead_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class PlacementParticipant(PlacementRelation):
    """An organisation printed among the participants (Beteiligte) of a placement."""

    placement = models.ForeignKey(
        Placement,
        on_delete=models.CASCADE,
        related_name="participant_rows",
        verbose_name=_("Placement"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="participant_rows",
        verbose_name=_("Organisation"),
    )

    class Meta(PlacementRelation.Meta):
        verbose_name = _("Participation")
        verbose_name_plural = _("Participations")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "position"], name="plans_placementparticipant_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class PlacementKeyProject(PlacementRelation):
    """A key project reference printed in the Nr. cell of a placement."""

    placement = models.ForeignKey(
        Placement,
        on_delete=models.CASCADE,
        related_name="key_project_rows",
        verbose_name=_("Placement"),
    )
    key_project = models.ForeignKey(
        KeyProject,
        on_delete=models.PROTECT,
        related_name="placement_rows",
        verbose_name=_("Key project"),
    )

    class Meta(PlacementRelation.Meta):
        verbose_name = _("Key project reference")
        verbose_name_plural = _("Key project references")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "position"], name="plans_placementkeyproject_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return str(self.key_project)


class StepQuerySet(models.QuerySet["Step"]):
    """Reads of steps."""


class CurrentStepManager(models.Manager["Step"]):
    """Steps of the plan's measures: those under placements of deleted measures are left out."""

    def get_queryset(self) -> StepQuerySet:
        return StepQuerySet(self.model, using=self._db).filter(
            placement__measure__deleted_at__isnull=True
        )


class Step(models.Model):
    """A sub-item (Teilschritt/Baustein) of a placement's text, nested as printed."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="steps", verbose_name=_("Placement")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent step"),
    )
    order = models.PositiveIntegerField(
        _("Position"), help_text=_("Position under the placement (depth-first, from 0)")
    )
    text = models.TextField(_("Text"))

    objects = CurrentStepManager.from_queryset(StepQuerySet)()
    all_objects = StepQuerySet.as_manager()

    class Meta:
        default_manager_name = "objects"
        base_manager_name = "all_objects"
        verbose_name = _("Step")
        verbose_name_plural = _("Steps")
        ordering = ["placement", "order"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "order"], name="plans_step_unique_order"),
        ]

    def __str__(self) -> str:
        return self.text[:80]
