"""The plan's revision: counts every change of what its pages show (the page cache's key)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from plans.models import Plan

from .facets import refresh_measure_facets


def mark_plan_changed(plan_id: int) -> None:
    """Count a change of what the plan's pages show (e.g. a published report): new revision."""
    Plan.objects.filter(pk=plan_id).update(revision=F("revision") + 1)


def mark_catalogue_changed(plan_id: int) -> None:
    """Count a change of the catalogue made outside an import (the back office): a new
    revision and fresh filter facets."""
    with transaction.atomic():
        # The update locks the plan's row, so concurrent changes refresh the facets in turn.
        mark_plan_changed(plan_id)
        refresh_measure_facets(plan_id)
