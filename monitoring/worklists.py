"""What the staff pages read: the to-do lists (Meine Maßnahmen) and the round dashboard.

Read-only; the permission filters come from `policies.py`. A report is expected from every
pair (measure, lead organisation) the document prints; a pair without a report is "missing".
Who writes it depends on the lead (`is_reporting_office`): an office of the district
administration reports itself; for every other lead (municipalities, partners, collective
leads such as "Alle Ämter") the coordination reports on its behalf.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from accounts.policies import is_coordination, organisation_of, role
from plans.models import Measure, Node, Organisation, PlacementLead, Plan

from . import policies
from .models import ReportingRound, StatusReport
from .policies import is_reporting_office, reporting_office_q

MISSING = "missing"
# The columns of the dashboard and the states of "Meine Maßnahmen", in workflow order.
REPORT_STATES: tuple[tuple[str, Any], ...] = (
    (MISSING, _("missing")),
    *StatusReport.State.choices,
)
# States in which the reporter still owes the coordination a submitted report.
OUTSTANDING_STATES = frozenset({MISSING, StatusReport.State.DRAFT, StatusReport.State.RETURNED})

# (measure id, organisation id)
Pair = tuple[int, int]


@dataclass
class WorkItem:
    """One measure an organisation reports on in a round, with its report if started."""

    reporting_round: ReportingRound
    measure: Measure
    organisation: Organisation
    report: StatusReport | None = None
    # Without a report: the last published report an office may carry forward unchanged.
    carry_from: StatusReport | None = None

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
        """Whether the reporter still has to submit it."""
        return self.state in OUTSTANDING_STATES

    @property
    def by_coordination(self) -> bool:
        """Whether the coordination reports it, the lead being no reporting office."""
        return not is_reporting_office(self.organisation)


def lead_pairs(plan: Plan, *, by_coordination: bool | None = None) -> set[Pair]:
    """(measure id, organisation id) of every lead printed for a measure or its blocks.

    `by_coordination`: only the pairs the coordination reports (True) or the offices (False).
    """
    rows = PlacementLead.objects.filter(
        placement__plan=plan, placement__measure__deleted_at__isnull=True
    )
    if by_coordination is not None:
        offices = reporting_office_q("organisation__")
        rows = rows.exclude(offices) if by_coordination else rows.filter(offices)
    pairs: set[Pair] = set()
    for measure_id, parent_measure_id, parent_deleted_at, organisation_id in rows.values_list(
        "placement__measure_id",
        "placement__parent__measure_id",
        "placement__parent__measure__deleted_at",
        "organisation_id",
    ):
        pairs.add((measure_id, organisation_id))
        if parent_measure_id is not None and parent_deleted_at is None:
            pairs.add((parent_measure_id, organisation_id))
    return pairs


def _work_items(
    rounds: Iterable[ReportingRound], pairs: set[Pair], reports: Iterable[StatusReport]
) -> list[WorkItem]:
    """Per round: the expected pairs plus any report outside them, in catalogue order."""
    by_key = {(r.reporting_round_id, r.measure_id, r.organisation_id): r for r in reports}
    rounds = list(rounds)
    keys = {(rr.pk, m, o) for rr in rounds for m, o in pairs} | set(by_key)
    measures = Measure.objects.in_bulk({m for _r, m, _o in keys})
    organisations = Organisation.objects.in_bulk({o for _r, _m, o in keys})
    round_by_pk = {rr.pk: rr for rr in rounds}
    items = [
        WorkItem(round_by_pk[r], measures[m], organisations[o], by_key.get((r, m, o)))
        for r, m, o in keys
    ]
    order = {rr.pk: position for position, rr in enumerate(rounds)}
    items.sort(
        key=lambda i: (
            order[i.reporting_round.pk],
            i.measure.field_part,
            i.measure.seq,
            i.measure.number,
            i.organisation.abbreviation,
        )
    )
    return items


def measures_with_participation(organisation: Organisation) -> list[Measure]:
    """The measures the organisation is printed as participant of (a block counts), by number."""
    return list(
        Measure.objects.filter(
            plan_id=organisation.plan_id, placements__participant_rows__organisation=organisation
        )
        .distinct()
        .in_number_order()
    )


def open_rounds(plan: Plan) -> list[ReportingRound]:
    """The plan's rounds in which offices report, newest first."""
    return list(ReportingRound.objects.filter(plan=plan).open().newest_first())


# --- Meine Maßnahmen -----------------------------------------------------------------------


@dataclass(frozen=True)
class Reporter:
    """For whom a user writes reports: one office, or the coordination (organisation None)."""

    organisation: Organisation | None = None

    @property
    def is_coordination(self) -> bool:
        return self.organisation is None


def reporter_of(user: Any, plan: Plan) -> Reporter | None:
    """The coordination reports for the leads that are no office; an editor for its office."""
    if is_coordination(user, plan):
        return Reporter()
    organisation = organisation_of(user, plan)
    if (
        role(user, plan) == Membership.Role.EDITOR
        and organisation is not None
        and is_reporting_office(organisation)
    ):
        return Reporter(organisation)
    return None


@dataclass
class MyWork:
    """Meine Maßnahmen: what the user reports on in each open round."""

    reporter: Reporter | None
    rounds: list[ReportingRound]
    items: list[WorkItem]

    def round_or_newest(self, pk: int | None) -> ReportingRound | None:
        """The open round with this id, else the newest open round (None if none is open)."""
        chosen = next((r for r in self.rounds if r.pk == pk), None)
        return chosen or (self.rounds[0] if self.rounds else None)

    def in_round(self, reporting_round: ReportingRound) -> list[WorkItem]:
        """The items of one round, in catalogue order."""
        return [item for item in self.items if item.reporting_round == reporting_round]

    @property
    def home_fields(self) -> set[int]:
        """The fields of action the items' measures belong to."""
        return {item.measure.home_field for item in self.items}

    def outstanding(self, reporting_round: ReportingRound) -> int:
        """How many reports of the round are still to be submitted."""
        return sum(1 for item in self.in_round(reporting_round) if item.is_outstanding)


def my_work(user: Any, plan: Plan) -> MyWork:
    """The pairs the user reports on (its office's, or the coordination's) per open round."""
    rounds = open_rounds(plan)
    reporter = reporter_of(user, plan)
    if reporter is None or not rounds:
        return MyWork(reporter, rounds, [])
    reports = policies.reports_visible_to(user, plan).filter(reporting_round__in=rounds)
    office = reporter.organisation
    if office is None:
        pairs = lead_pairs(plan, by_coordination=True)
        reports = reports.exclude(reporting_office_q("organisation__"))
    else:
        pairs = {(m, o) for m, o in lead_pairs(plan, by_coordination=False) if o == office.pk}
        reports = reports.filter(organisation=office)
    return MyWork(reporter, rounds, _work_items(rounds, pairs, reports))


def filter_work(
    items: Iterable[WorkItem],
    *,
    state: str = "",
    home_field: int | None = None,
    text: str = "",
) -> list[WorkItem]:
    """The items matching every filter given: a state (or "outstanding"), a field, a text.

    The text matches the measure's number or title, ignoring case (ß = ss).
    """
    needle = " ".join(text.split()).casefold()
    result = []
    for item in items:
        if state == "outstanding" and not item.is_outstanding:
            continue
        if state and state != "outstanding" and item.state != state:
            continue
        if home_field is not None and item.measure.home_field != home_field:
            continue
        if needle and needle not in f"{item.measure.number} {item.measure.title}".casefold():
            continue
        result.append(item)
    return result


def field_labels(plan: Plan) -> dict[int, str]:
    """The fields of action by number: "1 Starker Wirtschaftsstandort"."""
    labels = {}
    for node in Node.objects.filter(plan=plan).fields():
        if node.code.isdigit():
            labels[int(node.code)] = f"{node.code} {node.label}"
    return labels


# --- the round dashboard and reminders -----------------------------------------------------


def round_items(
    reporting_round: ReportingRound, *, by_coordination: bool | None = None
) -> list[WorkItem]:
    """Every expected or started report of the round (or of one group) for the coordination."""
    reports = (
        StatusReport.objects.current()
        .filter(reporting_round=reporting_round)
        # The review actions name each report's measure and lead.
        .select_related("status", "author", "measure", "organisation")
    )
    if by_coordination is not None:
        offices = reporting_office_q("organisation__")
        reports = reports.exclude(offices) if by_coordination else reports.filter(offices)
    pairs = lead_pairs(reporting_round.plan, by_coordination=by_coordination)
    return _work_items([reporting_round], pairs, reports)


def outstanding_by_organisation(
    reporting_round: ReportingRound, organisation: Organisation | None = None
) -> dict[Organisation, list[WorkItem]]:
    """The items each office still has to submit (for reminders).

    Only offices: what the coordination reports for other leads is its own to-do list.
    """
    grouped: dict[Organisation, list[WorkItem]] = defaultdict(list)
    for item in round_items(reporting_round, by_coordination=False):
        if item.is_outstanding and (organisation is None or item.organisation == organisation):
            grouped[item.organisation].append(item)
    return dict(grouped)


def attach_carry_forward_sources(reporting_round: ReportingRound, items: list[WorkItem]) -> None:
    """Give each item without a report its last published report from an earlier round.

    The same reports `services.last_published_report` finds
    (`StatusReport.objects.carry_forward_sources`), for all items in one query: „Unverändert
    seit <Runde>“ offers it.
    """
    # Queried for the whole page (not only its missing rows), always once, so that the page's
    # query count does not depend on its rows (an empty id list would skip the query: [0]).
    candidates = (
        StatusReport.objects.carry_forward_sources(reporting_round)
        .filter(
            measure_id__in=[item.measure.pk for item in items] or [0],
            organisation_id__in=[item.organisation.pk for item in items] or [0],
        )
        .select_related("reporting_round")
    )
    newest: dict[Pair, StatusReport] = {}
    for report in candidates:
        newest.setdefault((report.measure_id, report.organisation_id), report)
    for item in items:
        if item.report is None:
            item.carry_from = newest.get((item.measure.pk, item.organisation.pk))
