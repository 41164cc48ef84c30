"""The coordinator's dashboard of a round: counts per office, per lead it reports for, per field.

Read-only, built on the to-do lists of `worklists.py` (the same items, so the numbers agree).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from plans.models import Organisation, Plan

from .models import ReportingRound, StatusReport
from .worklists import OUTSTANDING_STATES, REPORT_STATES, WorkItem, field_labels, round_items


@dataclass
class CountRow:
    """Counts of reports per state for one organisation, one field of action or a group."""

    label: str
    counts: Counter[str] = field(default_factory=Counter)
    organisation: Organisation | None = None
    # Active editors of the office (whom its reminders reach); None for other rows.
    editors: int | None = None

    @property
    def cells(self) -> list[int]:
        """The counts in the order of REPORT_STATES."""
        return [self.counts[key] for key, _label in REPORT_STATES]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def outstanding(self) -> int:
        """Reports still owed (missing, draft or returned)."""
        return sum(self.counts[state] for state in OUTSTANDING_STATES)


@dataclass
class Dashboard:
    """The coordinator's view of one round: the offices' reports and its own, apart."""

    reporting_round: ReportingRound
    items: list[WorkItem]
    by_office: list[CountRow]
    office_totals: CountRow
    by_coordination: list[CountRow]
    coordination_totals: CountRow
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
        """Offices that owe reports and have editors (whom a reminder reaches)."""
        return [row for row in self.by_office if row.outstanding and row.editors]

    @property
    def offices_without_editors(self) -> list[CountRow]:
        """Offices that owe reports but have no editor yet: reminders reach nobody there."""
        return [row for row in self.by_office if row.outstanding and not row.editors]

    @property
    def overdue_of_offices(self) -> list[WorkItem]:
        return [item for item in self.overdue if not item.by_coordination]

    @property
    def overdue_of_coordination(self) -> list[WorkItem]:
        return [item for item in self.overdue if item.by_coordination]

    @property
    def approved_count(self) -> int:
        return self.totals.counts[StatusReport.State.APPROVED]


def _editor_counts(plan: Plan) -> dict[int, int]:
    """Active office editors per organisation id."""
    rows = (
        Membership.objects.filter(plan=plan, role=Membership.Role.EDITOR, user__is_active=True)
        .values("organisation_id")
        .annotate(editors=Count("pk"))
    )
    return {row["organisation_id"]: row["editors"] for row in rows}


def _by_label(row: CountRow) -> str:
    return row.label.casefold()


def round_dashboard(
    reporting_round: ReportingRound, today: datetime.date | None = None
) -> Dashboard:
    """Counts per office, per organisation the coordination reports for, per field; overdue."""
    items = round_items(reporting_round)
    labels = field_labels(reporting_round.plan)
    editors = _editor_counts(reporting_round.plan)
    offices: dict[int, CountRow] = {}
    others: dict[int, CountRow] = {}
    fields: dict[int, CountRow] = {}
    totals = CountRow(label=str(_("All")))
    office_totals = CountRow(label=str(_("All offices")))
    coordination_totals = CountRow(label=str(_("All reported by the coordination")))
    for item in items:
        organisation = item.organisation
        if item.by_coordination:
            group, group_totals = others, coordination_totals
            new_row = CountRow(label=organisation.abbreviation, organisation=organisation)
        else:
            group, group_totals = offices, office_totals
            new_row = CountRow(
                label=organisation.abbreviation,
                organisation=organisation,
                editors=editors.get(organisation.pk, 0),
            )
        row = group.setdefault(organisation.pk, new_row)
        home = item.measure.home_field
        area = fields.setdefault(home, CountRow(label=labels.get(home, str(home))))
        for counted in (row, group_totals, area, totals):
            counted.counts[item.state] += 1
    today = today or timezone.localdate()
    past = today > reporting_round.deadline
    return Dashboard(
        reporting_round=reporting_round,
        items=items,
        by_office=sorted(offices.values(), key=_by_label),
        office_totals=office_totals,
        by_coordination=sorted(others.values(), key=_by_label),
        coordination_totals=coordination_totals,
        by_field=[fields[k] for k in sorted(fields)],
        totals=totals,
        overdue=[i for i in items if i.is_outstanding] if past else [],
        is_past_deadline=past,
    )
