"""The fact block of a measure in the progress report: catalogue facts and its status.

The catalogue side (number, title, lead, participants, priority, steps and building blocks)
comes from the measure's placements as the document prints them; the status side is the report
that gives the measure's status as of the round (passed in by `content.build_report`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from council.models import CouncilPaper
from council.reads import papers_by_measure
from monitoring.models import StatusReport
from plans.models import Measure, Placement, Plan, Step, representative_row


@dataclass(frozen=True)
class StepLine:
    """A step or building block of the measure with its state in the report (if reported)."""

    text: str
    depth: int
    state: str  # the German label of the state, "" when not reported
    lead: str = ""  # a building block's own lead, as printed


@dataclass
class FactBlock:
    """One measure's facts as the report prints them."""

    measure: Measure
    anchor: str
    leads: list[str]
    participants: list[str]
    priority: str
    report: StatusReport | None  # the report giving the status as of the round
    steps: list[StepLine]
    obstacles: str = ""  # internal report only
    unpublished: list[StatusReport] = field(default_factory=list)  # internal report only
    council_papers: list[CouncilPaper] = field(default_factory=list)  # cited Kreistag papers


@dataclass
class MeasureCatalogue:
    """The plan's measures with their placements (document order), loaded in a few queries."""

    measures: list[Measure]
    placements: dict[int, list[Placement]]
    steps: dict[int, list[Step]]
    council_papers: dict[int, list[CouncilPaper]] = field(default_factory=dict)

    @classmethod
    def load(cls, plan: Plan) -> MeasureCatalogue:
        """Read the measures, placements with leads and participants, and steps of the plan."""
        measures = list(Measure.objects.filter(plan=plan).in_number_order())
        placements: dict[int, list[Placement]] = defaultdict(list)
        for placement in (
            Placement.objects.filter(plan=plan)
            .in_document_order()
            .prefetch_related("lead_rows__organisation", "participant_rows__organisation")
        ):
            placements[placement.measure_id].append(placement)
        steps: dict[int, list[Step]] = defaultdict(list)
        for step in Step.objects.filter(placement__plan=plan).order_by("placement_id", "order"):
            steps[step.placement_id].append(step)
        return cls(measures, placements, steps, papers_by_measure(plan))

    def in_number_order(self, measure_ids: list[int]) -> list[Measure]:
        """The measures with these ids, in number order."""
        wanted = set(measure_ids)
        return [m for m in self.measures if m.pk in wanted]

    def home_goal(self, measure: Measure) -> str | None:
        """The Leitziel of the measure's representative row (its fact block stands there)."""
        shown = representative_row(self.placements.get(measure.pk, []), measure.home_field)
        return shown.goal_code if shown else None


def fact_anchor(measure: Measure) -> str:
    """The id of a measure's fact block, e.g. "massnahme-2-84"."""
    return f"massnahme-{measure.number}"


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(name for name in names if name))


def _step_lines(
    catalogue: MeasureCatalogue, rows: list[Placement], report: StatusReport | None
) -> list[StepLine]:
    states: dict[tuple[str, int | None], str] = {}
    for progress in report.step_progress.all() if report is not None else []:
        if progress.step_id:
            states["step", progress.step_id] = progress.get_state_display()
        else:
            states["block", progress.placement_id] = progress.get_state_display()
    lines: list[StepLine] = []
    seen: set[str] = set()
    for placement in rows:
        if placement.parent_id is not None:
            lines.append(
                StepLine(
                    placement.title,
                    0,
                    states.get(("block", placement.pk), ""),
                    ", ".join(r.organisation.abbreviation for r in placement.lead_rows.all()),
                )
            )
            continue
        depth: dict[int, int] = {}
        for step in catalogue.steps.get(placement.pk, []):
            depth[step.pk] = depth.get(step.parent_id, -1) + 1 if step.parent_id else 0
            if step.text in seen:  # the same sub-item printed in another field's table
                continue
            seen.add(step.text)
            lines.append(StepLine(step.text, depth[step.pk], states.get(("step", step.pk), "")))
    return lines


def fact_block(
    measure: Measure,
    catalogue: MeasureCatalogue,
    report: StatusReport | None,
    unpublished: list[StatusReport],
    *,
    internal: bool,
) -> FactBlock:
    """The fact block of a measure; obstacles and unpublished reports only if `internal`."""
    rows = catalogue.placements.get(measure.pk, [])
    leads = _unique([r.organisation.abbreviation for p in rows for r in p.lead_rows.all()])
    participants = _unique(
        [r.organisation.abbreviation for p in rows for r in p.participant_rows.all()]
    )
    printed = sorted(
        (p for p in rows if p.priority_level), key=lambda p: p.priority_level or 0, reverse=True
    )
    return FactBlock(
        measure=measure,
        anchor=fact_anchor(measure),
        leads=leads,
        participants=participants,
        priority=printed[0].priority if printed else "",
        report=report,
        steps=_step_lines(catalogue, rows, report),
        obstacles=report.obstacles if internal and report is not None else "",
        unpublished=unpublished if internal else [],
        council_papers=catalogue.council_papers.get(measure.pk, []),
    )
