"""Reads of the Gemeinden's contributions: which measures take them, and the aggregate.

Two rules live here, once:
- A measure is **led by “Kommunen”** when an organisation of the kind Gemeinde without an AGS
  (the document's „Kommunen“: all towns and municipalities of the county) is printed as its
  lead, in a placement or a building block (`measures_led_by_kommunen`).
- A Gemeinde's **contribution in force** to a measure is its newest one: of the newest round
  (`NEWEST_ROUND_FIRST`, as for the reports); a status does not expire with a new round, and
  the round it comes from is shown beside it. The aggregate (`contribution_tally`) counts these
  per status: „in 12 von 30 Gemeinden umgesetzt“. The measure page, the Gemeinde page and the
  API read it.

Contributions are public as soon as a Gemeinde's editor saves them (see README).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators.models import MunicipalContribution, Municipality
from monitoring.models import ReportingRound, StatusOption
from monitoring.models.round import NEWEST_ROUND_FIRST
from plans.models import Measure, Organisation, Plan
from plans.models.measure import MeasureQuerySet

# The status the aggregate's sentence leads with („in 12 von 30 Gemeinden umgesetzt“): the
# default statuses' key for “implemented” (`monitoring.services.DEFAULT_STATUSES`).
LEADING_STATUS = "implemented"
NEWEST_CONTRIBUTION_FIRST = tuple(
    f"{field[0]}reporting_round__{field[1:]}" for field in NEWEST_ROUND_FIRST
)


def _kommunen() -> Q:
    return Q(kind=Organisation.Kind.MUNICIPALITY, ags="")


def measures_led_by_kommunen(plan: Plan) -> MeasureQuerySet:
    """Measures whose lead (placement or building block) is „Kommunen“: the Gemeinden
    contribute to them per round."""
    kommunen = Organisation.objects.filter(_kommunen(), plan=plan)
    return (
        Measure.objects.filter(plan=plan)
        .filter(
            Q(placements__lead_rows__organisation__in=kommunen)
            | Q(placements__building_blocks__lead_rows__organisation__in=kommunen)
        )
        .distinct()
    )


def is_led_by_kommunen(measure: Measure) -> bool:
    """Whether the Gemeinden contribute to the measure (`measures_led_by_kommunen`)."""
    return measures_led_by_kommunen(measure.plan).filter(pk=measure.pk).exists()


def in_force(contributions: QuerySet[MunicipalContribution]) -> list[MunicipalContribution]:
    """Of the given contributions, the newest per measure and Gemeinde (the one in force)."""
    newest: dict[tuple[int, int], MunicipalContribution] = {}
    ordered = contributions.select_related(
        "status", "reporting_round", "municipality", "measure"
    ).defer("municipality__boundary")
    for contribution in ordered.order_by(*NEWEST_CONTRIBUTION_FIRST, "-pk"):
        newest.setdefault((contribution.measure_id, contribution.municipality_id), contribution)
    return list(newest.values())


@dataclass(frozen=True)
class StatusCount:
    """How many Gemeinden give one status."""

    status: StatusOption
    count: int


@dataclass(frozen=True)
class ContributionTally:
    """The aggregate of a measure's contributions in force."""

    total: int  # the Gemeinden of the county (30)
    counts: list[StatusCount]  # every status of the plan, in its order
    contributions: list[MunicipalContribution]  # by Gemeinde name

    @property
    def reporting(self) -> int:
        """How many Gemeinden have said something."""
        return len(self.contributions)

    @property
    def silent(self) -> int:
        """How many Gemeinden have said nothing yet."""
        return self.total - self.reporting

    def count(self, key: str) -> int:
        """How many Gemeinden give the status with the key."""
        return next((c.count for c in self.counts if c.status.key == key), 0)

    @property
    def sentence(self) -> str:
        """„In 12 von 30 Gemeinden umgesetzt, in 5 in Umsetzung; 13 ohne Angabe.“"""
        leading = next((c for c in self.counts if c.status.key == LEADING_STATUS), None)
        label = leading.status.label if leading else _("implemented")
        parts = [
            _("in %(n)s of %(total)s municipalities %(status)s")
            % {"n": self.count(LEADING_STATUS), "total": self.total, "status": label}
        ]
        parts += [
            _("in %(n)s %(status)s") % {"n": c.count, "status": c.status.label}
            for c in self.counts
            if c.count and c.status.key != LEADING_STATUS
        ]
        text = ", ".join(parts)
        silent = self.silent
        if silent:
            text += "; " + ngettext(
                "%(n)s without a statement", "%(n)s without a statement", silent
            ) % {"n": silent}
        return text[0].upper() + text[1:] + "."


def contribution_tally(measure: Measure) -> ContributionTally | None:
    """The aggregate of the measure's contributions in force („in N von 30 Gemeinden …“);
    None for a measure not led by „Kommunen“."""
    if not is_led_by_kommunen(measure):
        return None
    return contribution_tallies(measure.plan, [measure])[measure.pk]


def contribution_tallies(plan: Plan, measures: list[Measure]) -> dict[int, ContributionTally]:
    """Measure id → the aggregate of its contributions in force, for measures led by
    „Kommunen“ (the caller's list, e.g. `measures_led_by_kommunen`): three queries, however
    many measures."""
    by_measure: dict[int, list[MunicipalContribution]] = {m.pk: [] for m in measures}
    for contribution in in_force(MunicipalContribution.objects.filter(measure__in=measures)):
        by_measure[contribution.measure_id].append(contribution)
    statuses = list(StatusOption.objects.filter(plan_id=plan.pk))
    total = Municipality.objects.count()
    tallies = {}
    for measure_id, found in by_measure.items():
        contributions = sorted(found, key=lambda c: c.municipality.name)
        counts = [
            StatusCount(status, sum(1 for c in contributions if c.status_id == status.pk))
            for status in statuses
        ]
        tallies[measure_id] = ContributionTally(total, counts, contributions)
    return tallies


def contributions_of_municipality(plan: Plan, ags: str) -> list[MunicipalContribution]:
    """The Gemeinde's contributions in force, by measure number (for its page)."""
    found = in_force(
        MunicipalContribution.objects.filter(
            measure__plan=plan, municipality__ags=ags, measure__in=measures_led_by_kommunen(plan)
        )
    )
    return sorted(found, key=lambda c: (c.measure.field_part, c.measure.seq, c.measure.number))


def open_rounds(plan: Plan) -> list[ReportingRound]:
    """The rounds in which Gemeinden may enter contributions, newest first."""
    return list(ReportingRound.objects.filter(plan=plan).open().newest_first())
