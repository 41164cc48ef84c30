"""Writes of Kreistag papers: links confirmed by the coordination, and storing a sync."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.models import Measure, Plan
from plans.services import mark_plan_changed

from . import oparl, policies
from .matching import Mentions, find_mentions
from .models import CouncilPaper, LinkProposal, PaperLink


class CouncilError(Exception):
    """A refused write of papers or links (German message)."""


def _require(user: Any, plan_id: int) -> None:
    if not policies.can_manage_papers(user, plan_id):
        raise CouncilError(_("Only the coordination links Kreistag papers."))


def papers_changed(plan_id: int) -> None:
    """The measure pages and reports show papers: count a change of the plan's pages."""
    mark_plan_changed(plan_id)


@transaction.atomic
def link_paper(user: Any, measure: Measure, paper: CouncilPaper) -> PaperLink:
    """Link the paper to the measure, confirmed by the user (nothing happens if it is)."""
    _require(user, paper.plan_id)
    if measure.plan_id != paper.plan_id:
        raise CouncilError(_("The measure and the paper belong to different plans."))
    link, created = PaperLink.objects.get_or_create(
        measure=measure, paper=paper, defaults={"confirmed_by": user}
    )
    if created:
        papers_changed(paper.plan_id)
    return link


@transaction.atomic
def confirm_proposal(user: Any, proposal: LinkProposal) -> None:
    """Confirm a sync's proposal: a link to its measure, or the paper concerns the KEK."""
    _require(user, proposal.paper.plan_id)
    if proposal.state != LinkProposal.State.OPEN:
        raise CouncilError(_("The proposal has already been decided."))
    if proposal.measure is not None:
        link_paper(user, proposal.measure, proposal.paper)
    else:
        CouncilPaper.objects.filter(pk=proposal.paper_id).update(concerns_plan=True)
        papers_changed(proposal.paper.plan_id)
    _decide(user, proposal, LinkProposal.State.CONFIRMED)


@transaction.atomic
def reject_proposal(user: Any, proposal: LinkProposal) -> None:
    """Reject a sync's proposal: it stays rejected, later syncs do not propose it again."""
    _require(user, proposal.paper.plan_id)
    if proposal.state != LinkProposal.State.OPEN:
        raise CouncilError(_("The proposal has already been decided."))
    _decide(user, proposal, LinkProposal.State.REJECTED)


def _decide(user: Any, proposal: LinkProposal, state: LinkProposal.State) -> None:
    proposal.state = state
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["state", "decided_by", "decided_at"])


# --- OParl sync ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """A paper of the endpoint that names measures of the plan or the KEK."""

    paper: oparl.Paper
    mentions: Mentions
    decision: str


@dataclass(frozen=True)
class SyncPreview:
    """What a sync found: papers read, pages fetched and the papers worth proposing."""

    papers_read: int
    pages: int
    matches: list[Match]


@dataclass(frozen=True)
class SyncResult:
    """What `apply_sync` stored."""

    papers_created: int
    papers_updated: int
    proposals_created: int


def preview_sync(plan: Plan, endpoint: str, client: oparl.Client) -> SyncPreview:
    """Read the endpoint and find the papers naming the plan's measures; writes nothing.

    Raises `oparl.OParlError` on any refused answer, before anything could be stored.
    """
    numbers = set(Measure.objects.filter(plan=plan).values_list("number", flat=True))
    papers = oparl.walk_papers(endpoint, client)
    matches = []
    seen: set[str] = set()
    for paper in papers:
        if paper.id in seen:  # listed twice: the first listing counts
            continue
        seen.add(paper.id)
        mentions = find_mentions(f"{paper.name}\n{paper.text}", numbers)
        if mentions:
            matches.append(Match(paper, mentions, oparl.decision_of(paper, client)))
    return SyncPreview(len(papers), client.pages, matches)


_SYNCED_FIELDS = ("reference", "name", "date", "paper_type", "decision", "web_url")


def _fields_of(match: Match) -> dict[str, Any]:
    paper = match.paper
    return {
        "reference": paper.reference[:100],
        "name": (paper.name or paper.reference or paper.id)[:500],
        "date": paper.date,
        "paper_type": paper.paper_type[:200],
        "decision": match.decision,
        "web_url": paper.web[:500],
    }


@transaction.atomic
def apply_sync(plan: Plan, preview: SyncPreview) -> SyncResult:
    """Store the matched papers (by OParl id) and propose their links; idempotent.

    A proposal once made (open, confirmed or rejected) is never made again, nor one for a
    link that already exists. A few queries whatever the number of papers.
    """
    measures = {m.number: m for m in Measure.objects.filter(plan=plan)}
    stored = {p.oparl_id: p for p in CouncilPaper.objects.filter(plan=plan).exclude(oparl_id="")}
    now = timezone.now()
    new: list[CouncilPaper] = []
    unchanged: list[int] = []
    updated = 0
    for match in preview.matches:
        fields = _fields_of(match)
        paper = stored.get(match.paper.id)
        if paper is None:
            paper = CouncilPaper(plan=plan, oparl_id=match.paper.id, synced_at=now, **fields)
            stored[paper.oparl_id] = paper
            new.append(paper)
            continue
        changed = [name for name in _SYNCED_FIELDS if getattr(paper, name) != fields[name]]
        if not changed:
            unchanged.append(paper.pk)
            continue
        for name in changed:
            setattr(paper, name, fields[name])
        paper.synced_at = now
        paper.save(update_fields=[*changed, "synced_at"])
        updated += 1
    CouncilPaper.objects.bulk_create(new)
    CouncilPaper.objects.filter(pk__in=unchanged).update(synced_at=now)
    proposals = _proposals(plan, preview, stored, measures)
    LinkProposal.objects.bulk_create(proposals)
    if new or updated:
        papers_changed(plan.pk)
    return SyncResult(len(new), updated, len(proposals))


def _proposals(
    plan: Plan, preview: SyncPreview, stored: dict[str, CouncilPaper], measures: dict[str, Measure]
) -> list[LinkProposal]:
    """The proposals not made before and not already linked (or confirmed for the KEK)."""
    taken: set[tuple[int, int | None]] = set(
        LinkProposal.objects.filter(paper__plan=plan).values_list("paper_id", "measure_id")
    ) | set(PaperLink.objects.filter(paper__plan=plan).values_list("paper_id", "measure_id"))
    proposals = []
    for match in preview.matches:
        paper = stored[match.paper.id]
        for number in match.mentions.numbers:
            measure = measures[number]
            if (paper.pk, measure.pk) not in taken:
                proposals.append(LinkProposal(paper=paper, measure=measure, reason=number))
                taken.add((paper.pk, measure.pk))
        if match.mentions.names_plan and not paper.concerns_plan and (paper.pk, None) not in taken:
            proposals.append(LinkProposal(paper=paper, measure=None, reason="KEK"))
            taken.add((paper.pk, None))
    return proposals
