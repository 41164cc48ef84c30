"""Roll-ups: how many measures of a group have which current status.

A group is a value of a measure facet (`plans.MeasureFacet`): a Handlungsfeld ("2"), a
Leitziel ("2.1"), a Teilziel (its node key), a key project ("SV I.2"), a lead office ("SLR"),
a priority level. Its measures are exactly those the portal's measure list finds with that
filter, and each measure's status is `StatusReport.objects.giving_status(plan, as_of)`, so a
roll-up always agrees with the list filtered by the group and the status. A measure placed in
several groups (38 of KEK 2030's measures stand in more than one field) counts in each; the
roll-up of the whole plan (`plan_rollup`) counts every measure once.

Every page, the report, the API and the charts read roll-ups from here.

Roll-ups are kept per plan revision (`plans.kept`): every table `rollups` and
`rollups_by_round` give, and the whole plan's statuses they count from (`_stored_current`),
so a page showing a roll-up of that revision counts nothing again, and a table not yet kept
counts its groups in memory, however many measures they hold. A publication moves the
revision: the first roll-up after it reads the statuses anew (at the 100× plan ~0.1 s).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from plans.kept import kept_already, kept_per_revision
from plans.measure_order import measure_ids_in_number_order
from plans.models import MeasureFacet, Plan

from .models import ReportingRound, StatusOption, StatusReport
from .reads import statuses_of

Facet = MeasureFacet.Facet


@dataclass(frozen=True)
class Rollup:
    """The measures of one group by current status."""

    value: str  # the facet value ("" for the whole plan)
    counts: tuple[int, ...]  # per status, in the order of `RollupTable.statuses`
    without_report: int  # measures without a published status
    total: int

    @property
    def reported(self) -> int:
        """How many of the group's measures have a published status."""
        return self.total - self.without_report

    @property
    def share_reported(self) -> float:
        """The share (0–1) of the group's measures with a published status."""
        return self.reported / self.total if self.total else 0.0


@dataclass(frozen=True)
class RollupTable:
    """The roll-ups of one facet's groups as of one round (or today)."""

    statuses: list[StatusOption]
    as_of: ReportingRound | None
    groups: list[Rollup]  # in the facet values' natural order ("2.10" after "2.9")
    whole_plan: Rollup

    def group(self, value: str) -> Rollup | None:
        """The roll-up of one group, or None if no measure has that value."""
        return next((rollup for rollup in self.groups if rollup.value == value), None)

    def count(self, rollup: Rollup, status_key: str) -> int:
        """How many of the roll-up's measures have the status with the key."""
        for status, count in zip(self.statuses, rollup.counts, strict=True):
            if status.key == status_key:
                return count
        return 0


def natural_key(value: str) -> tuple[tuple[int, str], ...]:
    """Sort key that orders the numbers in a value numerically: "2.9" before "2.10"."""
    return tuple(
        (int(part), "") if part.isdigit() else (-1, part) for part in re.split(r"(\d+)", value)
    )


# Measure ids per query when only some groups' statuses are read (well below the databases'
# limits on a statement's parameters: SQLite 32766, PostgreSQL 65535).
IDS_PER_QUERY = 10000


@dataclass(frozen=True)
class _Current:
    """The current status of measures: measure id → status id, and the measures whose status
    was reported in the round `as_of` (none without a round)."""

    status_of: dict[int, int]
    reported_in_round: frozenset[int]


def _read_current(
    plan: Plan, as_of: ReportingRound | None, measure_ids: list[int] | None = None
) -> _Current:
    """Each measure's status by `giving_status` (one query; with `measure_ids`, of these
    measures only, one query per `IDS_PER_QUERY` of them)."""
    chunks: list[list[int] | None] = (
        [None]
        if measure_ids is None
        else [
            measure_ids[start : start + IDS_PER_QUERY]
            for start in range(0, len(measure_ids), IDS_PER_QUERY)
        ]
    )
    status_of = {}
    reported = set()
    for chunk in chunks:
        for measure_id, status_id, round_id in (
            StatusReport.objects.giving_status(plan, as_of, chunk)
            .order_by()
            .values_list("measure_id", "status_id", "reporting_round_id")
        ):
            status_of[measure_id] = status_id
            if as_of is not None and round_id == as_of.pk:
                reported.add(measure_id)
    return _Current(status_of, frozenset(reported))


def _stored_current(
    plan: Plan, as_of: ReportingRound | None, *, read: bool = True
) -> _Current | None:
    """The whole plan's current statuses as of the plan's current revision, read once per
    revision and kept (`plans.kept`: every published report moves the revision, in its
    transaction); without `read`, only if they are kept already."""
    name = f"rollups:{as_of.pk if as_of else 0}"
    if not read:
        found = kept_already(plan.pk, name)
        return found if isinstance(found, _Current) else None
    return kept_per_revision(
        plan.pk,
        name,
        lambda: _read_current(plan, as_of),
        update=lambda earlier, changed: _updated(earlier, plan, as_of, changed),
    )


def _updated(
    earlier: _Current, plan: Plan, as_of: ReportingRound | None, changed: list[int]
) -> _Current:
    """An earlier revision's statuses with those of the changed measures read anew (by the
    same rule): after a publication, one measure's read instead of the whole plan's."""
    fresh = _read_current(plan, as_of, changed)
    status_of = dict(earlier.status_of)  # copied whole: a fraction of filtering it entry by entry
    for measure_id in changed:
        status_of.pop(measure_id, None)
    status_of.update(fresh.status_of)
    reported = (earlier.reported_in_round - set(changed)) | fresh.reported_in_round
    return _Current(status_of, frozenset(reported))


def _rollup(
    value: str, measure_ids: list[int], status_of: dict[int, int], position: dict[int, int]
) -> Rollup:
    """The group's measures counted by status (`position`: status id → column)."""
    counts = [0] * len(position)
    # Counted by Counter over dict.get, in C: the whole plan's measures after every publication.
    for status_id, n in Counter(map(status_of.get, measure_ids)).items():
        if status_id in position:
            counts[position[status_id]] += n
    total = len(measure_ids)
    return Rollup(value, tuple(counts), total - sum(counts), total)


@dataclass(frozen=True)
class _Groups:
    """What a roll-up counts over: the statuses, each group's measures, all measures."""

    statuses: list[StatusOption]
    members: list[tuple[str, list[int]]]  # (value, measure ids) in natural order
    measure_ids: list[int]
    read_only_these: bool = False  # read the statuses of `measure_ids` only

    def table(self, plan: Plan, as_of: ReportingRound | None) -> tuple[RollupTable, int]:
        # Groups holding a small part of the plan read their own statuses when none are kept
        # (cheaper than the whole plan's); the others read and keep the whole plan's.
        current = _stored_current(plan, as_of, read=not self.read_only_these) or _read_current(
            plan, as_of, self.measure_ids if self.read_only_these else None
        )
        position = {status.pk: index for index, status in enumerate(self.statuses)}
        status_of = current.status_of
        groups = [_rollup(value, ids, status_of, position) for value, ids in self.members]
        whole_plan = _rollup("", self.measure_ids, status_of, position)
        reported = current.reported_in_round.intersection(self.measure_ids)
        in_round = sum(
            n
            for status_id, n in Counter(map(status_of.get, reported)).items()
            if status_id in position
        )
        return RollupTable(self.statuses, as_of, groups, whole_plan), in_round


def _groups(
    plan: Plan, facet: str, values: Iterable[str] | None, groups_only: bool = False
) -> _Groups:
    facets = MeasureFacet.objects.filter(plan=plan, facet=facet)
    if values is not None:
        facets = facets.filter(value__in=list(values))
    members = sorted(facets.values_list("value", "measure_ids"), key=lambda m: natural_key(m[0]))
    if groups_only:
        measure_ids = sorted({pk for _value, ids in members for pk in ids})
        # Groups holding a twentieth of the plan or more (a field, a goal, a large office) read
        # and keep the whole plan's statuses; smaller ones (a key project) read their own
        # unless the whole plan's are kept.
        read_only_these = 20 * len(measure_ids) < len(measure_ids_in_number_order(plan))
        return _Groups(statuses_of(plan), members, measure_ids, read_only_these)
    return _Groups(statuses_of(plan), members, measure_ids_in_number_order(plan))


def rollups(
    plan: Plan,
    facet: str,
    *,
    as_of: ReportingRound | None = None,
    values: Iterable[str] | None = None,
    groups_only: bool = False,
) -> RollupTable:
    """The roll-up of every group of a facet (or of the given values), and of the whole plan.

    At most five queries, whatever the plan's size; one (the revision) once this table of the
    plan's revision is kept (module docstring). `as_of` gives the state as it stood in that round.
    With `groups_only`, only the statuses of the groups' measures are read (a page showing a
    few groups reads as much as they hold, not the whole plan; each group counts the same);
    `whole_plan` then counts the measures of these groups, each once.
    """
    shown = None if values is None else list(values)
    chosen = "*" if shown is None else hashlib.sha1("\x1f".join(shown).encode()).hexdigest()[:16]
    name = f"table:{facet}:{as_of.pk if as_of else 0}:{int(groups_only)}:{chosen}"
    return kept_per_revision(
        plan.pk, name, lambda: _groups(plan, facet, shown, groups_only).table(plan, as_of)[0]
    )


def measure_ids_with_status(plan: Plan, status_key: str) -> frozenset[int]:
    """The measures whose current status has the key: the portal's status filter.

    Counted from the same kept statuses as every roll-up, so the list filtered by a status
    finds exactly the measures a roll-up counts under it; at most two queries once the
    revision's statuses are kept, whatever the plan's size (the rule's own read ranks every
    report of the plan).
    """
    wanted = set(
        StatusOption.objects.filter(plan=plan, key=status_key).values_list("pk", flat=True)
    )
    current = _stored_current(plan, None)
    assert current is not None  # read when not kept
    return frozenset(m for m, status_id in current.status_of.items() if status_id in wanted)


def plan_rollup(plan: Plan, as_of: ReportingRound | None = None) -> RollupTable:
    """The whole plan's measures by current status (no groups): the start page's headline."""
    return rollups(plan, Facet.FIELD, as_of=as_of, values=())


@dataclass(frozen=True)
class RoundRollups:
    """A facet's roll-ups as they stood in one reporting round."""

    reporting_round: ReportingRound
    table: RollupTable
    reported_in_round: int  # of the measures with a status, how many were reported in this round


def rounds_with_published_reports(plan: Plan) -> list[ReportingRound]:
    """The plan's rounds in which some report was published, oldest first."""
    # EXISTS per round stops at its first published report, where `IN (the published
    # reports' rounds)` read every report of the plan (19 ms at the 100× plan, per facet).
    published = StatusReport.objects.published().filter(reporting_round=OuterRef("pk"))
    rounds = ReportingRound.objects.filter(Exists(published), plan=plan).newest_first()
    return list(reversed(rounds))


def rollups_by_round(plan: Plan, facet: str) -> list[RoundRollups]:
    """A facet's roll-ups as of every round with a published report, oldest first.

    In each round a measure has the status of `giving_status(plan, as_of=round)`: one not
    reported in a round keeps the status of its last report before it. Queries: 4 + 1 per round.
    """

    def compute() -> list[RoundRollups]:
        groups = _groups(plan, facet, None)
        result = []
        for reporting_round in rounds_with_published_reports(plan):
            table, reported_in_round = groups.table(plan, reporting_round)
            result.append(RoundRollups(reporting_round, table, reported_in_round))
        return result

    return kept_per_revision(plan.pk, f"by-round:{facet}", compute)
