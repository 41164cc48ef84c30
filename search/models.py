"""The search index: one entry per measure, hierarchy node, organisation and key project of a plan.

Kept current by the catalogue's writes (`search.index.update_index`), never by a request.
"""

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
        KEY_PROJECT = "key_project", _("Key project")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="search_entries")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(
        _("object"), help_text=_("Id of the measure, node, organisation or key project.")
    )
    key = models.CharField(
        _("key"), max_length=200, help_text=_("Measure number, node key or abbreviation.")
    )
    title = models.TextField(_("title"))
    body = models.TextField(_("text"))
    folded_title = models.TextField(editable=False)
    folded_body = models.TextField(editable=False)
    order = models.PositiveIntegerField(
        _("order"), help_text=_("Tie-breaker: measures by number, then the hierarchy, …")
    )

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "key"], name="search_entry_unique_key"),
            models.UniqueConstraint(
                fields=["plan", "kind", "object_id"], name="search_entry_unique_object"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"
