"""Configurable statuses of a plan and the reporting rounds the coordination opens."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from plans.models import Plan
from plans.models.audit_trail import AuditTrail


class StatusOption(models.Model):
    """A status a measure can have in a plan (configurable; German defaults per plan)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="status_options", verbose_name=_("Plan")
    )
    key = models.SlugField(_("Key"), max_length=40, help_text=_("Stable name, e.g. “continuous”"))
    label = models.CharField(_("Label"), max_length=100)
    order = models.PositiveSmallIntegerField(_("Order"), default=0)
    is_continuous = models.BooleanField(
        _("continuing task"),
        default=False,
        help_text=_("Progress in percent is optional for continuing tasks (Daueraufgaben)"),
    )

    class Meta:
        verbose_name = _("Status option")
        verbose_name_plural = _("Status options")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="monitoring_status_unique_key"),
        ]

    def __str__(self) -> str:
        return self.label


# Which round is newer: the later reporting date (Stichtag); of two rounds with the same date,
# the one opened later (then the one created later). Reports order by this through their round.
NEWEST_ROUND_FIRST = ("-reporting_date", "-opened_at", "-pk")

# The slug that names the newest closed round on the command line (`--round latest`).
LATEST_ROUND = "latest"


class ClosedRoundError(Exception):
    """A write reached a report or step of a closed round: nothing in it can change.

    The model-level safety net behind the services (which refuse first, with the same German
    reason, as `InvalidTransition`). The coordination reopens the round to change it.
    """

    def __init__(self, reporting_round: ReportingRound) -> None:
        self.message = str(
            _("The reporting round “%(round)s” is closed; nothing in it can change.")
            % {"round": reporting_round.name}
        )
        super().__init__(self.message)


class ReportingRoundQuerySet(models.QuerySet["ReportingRound"]):
    """Reads of reporting rounds."""

    def open(self) -> ReportingRoundQuerySet:
        """Rounds in which the offices can still report."""
        return self.filter(state=ReportingRound.State.OPEN)

    def closed(self) -> ReportingRoundQuerySet:
        """Rounds the coordination has closed: their published reports are a citable state."""
        return self.filter(state=ReportingRound.State.CLOSED)

    def refuse_changes_if_closed(self) -> None:
        """Raise `ClosedRoundError` if one of these rounds is closed, as stored in the database.

        The model-level guard of reports and steps asks the database, not a (possibly stale)
        instance in memory: a round closed meanwhile counts.
        """
        closed = self.closed().only("name").first()
        if closed is not None:
            raise ClosedRoundError(closed)

    def newest_first(self) -> ReportingRoundQuerySet:
        """Newest reporting date first; rounds of the same date by opening, then creation."""
        return self.order_by(*NEWEST_ROUND_FIRST)

    def by_slug(self, slug: str) -> ReportingRound | None:
        """The round named by `slug` in URLs and commands; `latest` is the newest closed round.

        Of two rounds whose names give the same slug, the newer one.
        """
        if slug == LATEST_ROUND:
            return self.closed().newest_first().first()
        return next((r for r in self.newest_first() if r.slug == slug), None)

    def up_to(self, reporting_round: ReportingRound) -> ReportingRoundQuerySet:
        """The round and the rounds of its plan before it (in the order of `newest_first`)."""
        date, opened = reporting_round.reporting_date, reporting_round.opened_at
        return self.filter(plan_id=reporting_round.plan_id).filter(
            Q(reporting_date__lt=date)
            | Q(reporting_date=date, opened_at__lt=opened)
            | Q(reporting_date=date, opened_at=opened, pk__lte=reporting_round.pk)
        )


class ReportingRound(AuditTrail, models.Model):
    """A round of reporting, e.g. “Monitoring 2026”, opened and closed by the coordination."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="reporting_rounds", verbose_name=_("Plan")
    )
    name = models.CharField(_("Name"), max_length=200, help_text=_("e.g. “Monitoring 2026”"))
    reporting_date = models.DateField(
        _("Reporting date"), help_text=_("The reports describe the state on this day")
    )
    deadline = models.DateField(_("Deadline"))
    state = models.CharField(_("State"), max_length=10, choices=State.choices, default=State.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The latest reopening: a round closed again after it shows it was amended. Every
    # reopening is also an event (and a history row) of its own.
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopen_reason = models.TextField(
        _("reason for reopening"),
        blank=True,
        help_text=_("Why the coordination reopened the closed round"),
    )
    is_demo = models.BooleanField(
        _("demo round"),
        default=False,
        help_text=_("Example data: never used to pre-fill the reports of a real round"),
    )

    history = HistoricalRecords(verbose_name=_("historical reporting round"))
    objects = ReportingRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("Reporting round")
        verbose_name_plural = _("Reporting rounds")
        ordering = ["plan", "-reporting_date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="monitoring_round_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def slug(self) -> str:
        """The round's name in URLs and on the command line, e.g. `monitoring-2026`."""
        return slugify(self.name)

    @property
    def is_open(self) -> bool:
        """Whether the offices can still report in this round."""
        return self.state == self.State.OPEN

    @property
    def was_reopened(self) -> bool:
        """Whether the coordination reopened the round after closing it (it was amended)."""
        return self.reopened_at is not None

    @property
    def amended_at(self) -> datetime.datetime | None:
        """When the amended state was fixed: the closing after the latest reopening (else None).

        A round reopened and closed again shows „geändert am …“ with this moment; an open or
        never reopened round has none.
        """
        if self.is_open or self.reopened_at is None:
            return None
        return self.closed_at
