"""Goal attainment: is an indicator on track to reach its target? One formula, documented here.

The method is Open SDG's "progress status" for indicators with a target (after Eurostat/ESCAP):

1. Base: the indicator's first county value (x₀ in year t₀); latest: its newest (xₜ in t).
2. Target: the first target whose year is not before the latest value's year (else the last
   one). For a target band the nearer bound is the target.
3. Reached: the latest value is at or beyond the target in the desired direction (inside the
   band) → ACHIEVED. Target year passed without reaching it → MISSED.
4. Otherwise compare the compound annual growth rate achieved, CRₐ = (xₜ/x₀)^(1/(t−t₀)) − 1,
   with the one needed, CRᵣ = (target/x₀)^(1/(T−t₀)) − 1 (T the target year). If a value is
   zero or negative, growth rates are meaningless: the yearly absolute changes
   (xₜ−x₀)/(t−t₀) and (target−x₀)/(T−t₀) are compared instead.
5. ratio = CRₐ / CRᵣ: ≥ 0.95 ON_TRACK, ≥ 0.5 MODERATE, > 0 LIMITED, else DETERIORATION.

Fewer than two years of values → NO_DATA; no target → NO_TARGET.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

ON_TRACK_RATIO = 0.95
MODERATE_RATIO = 0.5


class Attainment(models.TextChoices):
    """How far an indicator is on its way to its target."""

    ACHIEVED = "achieved", _("Target reached")
    ON_TRACK = "on_track", _("On track")
    MODERATE = "moderate", _("Progress, but too slow")
    LIMITED = "limited", _("Little progress")
    DETERIORATION = "deterioration", _("Moving away from the target")
    MISSED = "missed", _("Target missed")
    NO_DATA = "no_data", _("Not enough values")
    NO_TARGET = "no_target", _("No target")


# A symbol for each state that reads without colour: shown beside the label, never alone.
SYMBOLS: dict[str, str] = {
    Attainment.ACHIEVED: "✔",
    Attainment.ON_TRACK: "●●●",
    Attainment.MODERATE: "●●○",
    Attainment.LIMITED: "●○○",
    Attainment.DETERIORATION: "○○○",
    Attainment.MISSED: "✘",
    Attainment.NO_DATA: "?",
    Attainment.NO_TARGET: "–",
}


@dataclass(frozen=True, slots=True)
class Assessment:
    """The outcome of the formula with the figures it used (for the German sentence)."""

    status: Attainment
    base: tuple[int, Decimal] | None = None
    latest: tuple[int, Decimal] | None = None
    target: tuple[int, Decimal] | None = None
    achieved_rate: float | None = None
    needed_rate: float | None = None
    relative: bool = True

    @property
    def symbol(self) -> str:
        """The symbol of the state (not relying on colour)."""
        return SYMBOLS[self.status]

    @property
    def ratio(self) -> float | None:
        """Achieved rate / needed rate."""
        if self.achieved_rate is None or not self.needed_rate:
            return None
        return self.achieved_rate / self.needed_rate


def _reached(direction: str, value: Decimal, target: Decimal, band: tuple | None) -> bool:
    if direction == "band" and band is not None:
        return band[0] <= value <= band[1]
    if direction == "down":
        return value <= target
    return value >= target


def _rate(start: Decimal, end: Decimal, years: int, relative: bool) -> float:
    if relative:
        return float(end / start) ** (1 / years) - 1
    return float(end - start) / years


def assess(
    direction: str,
    series: Sequence[tuple[int, Decimal]],
    targets: Sequence[tuple[int, Decimal]],
    band: tuple[Decimal, Decimal] | None = None,
) -> Assessment:
    """Assess a county series (year, value) against the targets (year, value) by the formula."""
    if not targets and not (direction == "band" and band):
        return Assessment(Attainment.NO_TARGET)
    points = sorted(series)
    if len(points) < 2:
        return Assessment(Attainment.NO_DATA, latest=points[-1] if points else None)
    (t0, x0), (t, xt) = points[0], points[-1]
    ordered = sorted(targets)
    upcoming = [target for target in ordered if target[0] >= t]
    year, value = upcoming[0] if upcoming else (ordered[-1] if ordered else (t, xt))
    if direction == "band" and band is not None:
        value = band[0] if xt < band[0] else band[1]
    elif direction not in ("up", "down"):
        # A target without a desired direction: the way from the base to the target is it.
        direction = "up" if value >= x0 else "down"
    figures = ((t0, x0), (t, xt), (year, value))  # base, latest, target
    if _reached(direction, xt, value, band):
        return Assessment(Attainment.ACHIEVED, *figures)
    if year <= t:
        return Assessment(Attainment.MISSED, *figures)
    relative = x0 > 0 and xt > 0 and value > 0
    achieved = _rate(x0, xt, t - t0, relative)
    needed = _rate(x0, value, year - t0, relative)
    if needed == 0:
        status = Attainment.DETERIORATION
    else:
        ratio = achieved / needed
        if ratio >= ON_TRACK_RATIO:
            status = Attainment.ON_TRACK
        elif ratio >= MODERATE_RATIO:
            status = Attainment.MODERATE
        elif ratio > 0:
            status = Attainment.LIMITED
        else:
            status = Attainment.DETERIORATION
    return Assessment(
        status, *figures, achieved_rate=achieved, needed_rate=needed, relative=relative
    )
