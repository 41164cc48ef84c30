"""`{% council_papers measure %}`: the measure's Kreistag papers on the public measure page."""

from __future__ import annotations

from typing import Any

from django import template

from council import reads
from plans.models import Measure

register = template.Library()


@register.inclusion_tag("council/partials/measure_papers.html")
def council_papers(measure: Measure) -> dict[str, Any]:
    """The section „Beschlüsse des Kreistags“ (nothing when the measure cites no paper)."""
    return {"papers": reads.papers_of(measure)}
