"""The search index: one entry per measure, hierarchy node and organisation of a plan."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import Plan


class SearchEntry(models.Model):
    """A searchable page of the portal, with its text folded for matching."""

    class Kind(models.TextChoices):
        MEASURE = "measure", _("Measure")
        NODE = "node", _("Goal or field")
        ORGANISATION = "organisation", _("Organisation")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="search_entries")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(
        _("key"), max_length=200, help_text=_("Measure number, node key or abbreviation.")
    )
    title = models.TextField(_("title"))
    body = models.TextField(_("text"))
    folded_title = models.TextField(editable=False)
    folded_body = models.TextField(editable=False)
    order = models.PositiveIntegerField(_("order"), help_text=_("Tie-breaker: document order."))

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "key"], name="search_entry_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


class IndexedRevision(models.Model):
    """The plan revision the search index was last built from."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="indexed_revision")
    revision = models.PositiveIntegerField(_("revision"))

    class Meta:
        verbose_name = _("indexed revision")
        verbose_name_plural = _("indexed revisions")

    def __str__(self) -> str:
        return f"{self.plan_id}@{self.revision}"
