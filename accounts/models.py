"""Roles: a user's membership in a plan, with the organisation it acts for."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import Organisation, Plan


class Membership(models.Model):
    """A user's role in one plan; office roles act for one organisation of that plan."""

    class Role(models.TextChoices):
        COORDINATION = "koordination", _("Coordination")
        EDITOR = "redaktion", _("Office editor")
        PARTICIPANT = "beteiligte", _("Participant")
        READER = "leser", _("Reader")
        MUNICIPALITY_EDITOR = "gemeinde", _("Municipality editor")

    # Roles that act for an organisation and therefore need one.
    ORGANISATION_ROLES = frozenset({Role.EDITOR, Role.PARTICIPANT, Role.MUNICIPALITY_EDITOR})

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("User"),
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Plan")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("Organisation"),
        help_text=_(
            "Required for office editors, participants and municipality editors; "
            "empty for the other roles"
        ),
    )
    role = models.CharField(_("Role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("Membership")
        verbose_name_plural = _("Memberships")
        ordering = ["plan", "role", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "plan"], name="accounts_membership_unique_user"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["koordination", "leser"])
                | models.Q(organisation__isnull=False),
                name="accounts_membership_office_roles_need_organisation",
            ),
        ]

    def __str__(self) -> str:
        office = self.organisation
        organisation = f" ({office.abbreviation})" if office is not None else ""
        return f"{self.user} – {self.get_role_display()}{organisation}"

    def clean(self) -> None:
        """An office role needs an organisation, and it must belong to the same plan."""
        if self.role in self.ORGANISATION_ROLES and self.organisation_id is None:
            raise ValidationError(
                {"organisation": _("This role acts for an organisation: choose one.")}
            )
        if self.organisation is not None and self.organisation.plan_id != self.plan_id:
            raise ValidationError({"organisation": _("The organisation belongs to another plan.")})
        if (
            self.role == self.Role.MUNICIPALITY_EDITOR
            and self.organisation is not None
            and not self.organisation.ags
        ):
            raise ValidationError(
                {"organisation": _("A municipality editor acts for a Gemeinde: one with an AGS.")}
            )
