"""Every measure of a plan by id, in number order, kept per catalogue revision.

The measure list filtered by status and the whole plan's roll-ups need all of a plan's measures:
at the 100× plan reading them took ~10 ms, on every first render after a publication.
"""

from __future__ import annotations

from plans.kept import kept_per_revision
from plans.models import Measure, Plan


def measure_ids_in_number_order(plan: Plan) -> list[int]:
    """The ids of the plan's measures (not deleted), in number order."""
    return kept_per_revision(
        plan.pk,
        "measure-ids-in-number-order",
        lambda: list(
            Measure.objects.filter(plan=plan).in_number_order().values_list("pk", flat=True)
        ),
        catalogue=True,
    )
