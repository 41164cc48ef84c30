"""The reads of Kreistag papers every page, report and API calls."""

from __future__ import annotations

from collections import defaultdict

from plans.models import Measure, Plan

from .models import CouncilPaper, PaperLink, newest_first


def papers_of(measure: Measure) -> list[CouncilPaper]:
    """The Kreistag papers the measure cites (confirmed links), newest first."""
    return list(CouncilPaper.objects.cited_by(measure))


def papers_by_measure(plan: Plan) -> dict[int, list[CouncilPaper]]:
    """The cited papers of every measure of the plan (measure id → papers, newest first)."""
    cited: dict[int, list[CouncilPaper]] = defaultdict(list)
    links = (
        PaperLink.objects.filter(measure__plan=plan)
        .select_related("paper")
        .order_by(*newest_first("paper__"))
    )
    for link in links:
        cited[link.measure_id].append(link.paper)
    return dict(cited)
