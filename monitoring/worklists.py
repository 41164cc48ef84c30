"""What the staff pages read: an office's to-do list and the coordinator's round dashboard.

Read-only; the permission filters come from `policies.py`. A report is expected from every
pair (measure, lead organisation) the document prints; a pair without a report is "missing".
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.models import Measure, Node, Organisation, PlacementLead, Plan

from . import policies
from .models import ReportingRound, StatusReport

MISSING = "missing"
# The columns of the dashboard and the states of "Meine Maßnahmen", in workflow order.
REPORT_STATES: tuple[tuple[str, Any], ...] = (
    (MISSING, _("missing")),
    *StatusReport.State.choices,
)
# States in which the office still owes the coordination a submitted report.
OUTSTANDING_STATES = frozenset({MISSING, StatusReport.State.DRAFT, StatusReport.State.RETURNED})


@dataclass
class WorkItem:
    """One measure an organisation reports on in a round, with its report if started."""

    reporting_round: ReportingRound
    measure: Measure
    organisation: Organisation
    report: StatusReport | None = None

    @property
    def state(self) -> str:
        """The report's workflow state, or "missing"."""
        return self.report.state if self.report is not None else MISSING

    @property
    def state_label(self) -> Any:
        """The German label of `state`."""
        return dict(REPORT_STATES)[self.state]

    @property
    def is_outstanding(self) -> bool:
        """Whether the office still has to submit it."""
        return self.state in OUTSTANDING_STATES


@dataclass
class CountRow:
    """Counts of reports per state for one office or one field of action."""

    label: str
    counts: Counter[str] = field(default_factory=Counter)
    organisation: Organisation | None = None

    @property
    def cells(self) -> list[int]:
        """The counts in the order of REPORT_STATES."""
        return [self.counts[key] for key, _label in REPORT_STATES]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def outstanding(self) -> int:
        """Reports the office still owes (missing, draft or returned)."""
        return sum(self.counts[state] for state in OUTSTANDING_STATES)


@dataclass
class Dashboard:
    """The coordinator's view of one round."""

    reporting_round: ReportingRound
    items: list[WorkItem]
    by_office: list[CountRow]
    by_field: list[CountRow]
    totals: CountRow
    overdue: list[WorkItem]
    is_past_deadline: bool

    @property
    def reports(self) -> list[WorkItem]:
        """Items with a report, in catalogue order (the review list)."""
        return [item for item in self.items if item.report is not None]

    @property
    def offices_with_outstanding(self) -> list[CountRow]:
        """Offices that still owe reports (whom a reminder concerns)."""
        return [row for row in self.by_office if row.outstanding]

    @property
    def approved_count(self) -> int:
        return self.totals.counts[StatusReport.State.APPROVED]


def lead_pairs(plan: Plan) -> set[tuple[int, int]]:
    """(measure id, organisation id) of every lead printed for a measure or its blocks."""
    pairs: set[tuple[int, int]] = set()
    rows = PlacementLead.objects.filter(placement__plan=plan).values_list(
        "placement__measure_id", "placement__parent__measure_id", "organisation_id"
    )
    for measure_id, parent_measure_id, organisation_id in rows:
        pairs.add((measure_id, organisation_id))
        if parent_measure_id is not None:
            pairs.add((parent_measure_id, organisation_id))
    return pairs


def _items(
    reporting_round: ReportingRound,
    pairs: set[tuple[int, int]],
    reports: list[StatusReport],
) -> list[WorkItem]:
    """Work items for the expected pairs plus any report outside them, in catalogue order."""
    by_pair = {(r.measure_id, r.organisation_id): r for r in reports}
    all_pairs = pairs | set(by_pair)
    measures = Measure.objects.in_bulk({m for m, _o in all_pairs})
    organisations = Organisation.objects.in_bulk({o for _m, o in all_pairs})
    items = [
        WorkItem(reporting_round, measures[m], organisations[o], by_pair.get((m, o)))
        for m, o in all_pairs
    ]
    items.sort(key=lambda i: (i.measure.field_part, i.measure.seq, i.organisation.abbreviation))
    return items


def open_rounds(plan: Plan) -> list[ReportingRound]:
    """The plan's rounds in which offices report, newest first."""
    return list(ReportingRound.objects.filter(plan=plan).open().order_by("-reporting_date"))


def my_work(user: Any, plan: Plan) -> list[WorkItem]:
    """Meine Maßnahmen: the measures the user's organisation leads, per open round."""
    organisation = policies.organisation_of(user, plan)
    if organisation is None:
        return []
    measure_ids = set(policies.measures_reportable_by(user, plan).values_list("pk", flat=True))
    pairs = {(m, o) for m, o in lead_pairs(plan) if o == organisation.pk and m in measure_ids}
    items: list[WorkItem] = []
    for reporting_round in open_rounds(plan):
        reports = list(
            policies.reports_visible_to(user, plan)
            .filter(reporting_round=reporting_round, organisation=organisation)
            .select_related("status")
        )
        items += _items(reporting_round, pairs, reports)
    return items


def _field_labels(plan: Plan) -> dict[int, str]:
    labels = {}
    for node in Node.objects.filter(plan=plan).fields():
        if node.code.isdigit():
            labels[int(node.code)] = f"{node.code} {node.label}"
    return labels


def round_items(reporting_round: ReportingRound) -> list[WorkItem]:
    """Every expected or started report of the round (for the coordination)."""
    reports = list(
        StatusReport.objects.current()
        .filter(reporting_round=reporting_round)
        .select_related("status", "author")
    )
    return _items(reporting_round, lead_pairs(reporting_round.plan), reports)


def round_dashboard(
    reporting_round: ReportingRound, today: datetime.date | None = None
) -> Dashboard:
    """Counts per office and per field, the overdue list and the reports to review."""
    items = round_items(reporting_round)
    field_labels = _field_labels(reporting_round.plan)
    offices: dict[int, CountRow] = {}
    fields: dict[int, CountRow] = {}
    totals = CountRow(label=str(_("All")))
    for item in items:
        office = offices.setdefault(
            item.organisation.pk,
            CountRow(label=item.organisation.abbreviation, organisation=item.organisation),
        )
        home = item.measure.home_field
        area = fields.setdefault(home, CountRow(label=field_labels.get(home, str(home))))
        for row in (office, area, totals):
            row.counts[item.state] += 1
    today = today or timezone.localdate()
    past = today > reporting_round.deadline
    return Dashboard(
        reporting_round=reporting_round,
        items=items,
        by_office=sorted(offices.values(), key=lambda r: r.label.casefold()),
        by_field=[fields[k] for k in sorted(fields)],
        totals=totals,
        overdue=[i for i in items if i.is_outstanding] if past else [],
        is_past_deadline=past,
    )


def outstanding_by_organisation(
    reporting_round: ReportingRound, organisation: Organisation | None = None
) -> dict[Organisation, list[WorkItem]]:
    """The items each office still has to submit (for reminders)."""
    grouped: dict[Organisation, list[WorkItem]] = defaultdict(list)
    for item in round_items(reporting_round):
        if item.is_outstanding and (organisation is None or item.organisation == organisation):
            grouped[item.organisation].append(item)
    return dict(grouped)
