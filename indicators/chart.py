"""A line chart of an indicator's county values over the years, with its targets, as SVG data.

The template draws it; here only positions and labels are computed (no logic in templates).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from indicators.display import format_value

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 80, 20, 16, 36


@dataclass(frozen=True, slots=True)
class Tick:
    """An axis label at a position."""

    position: float
    label: str


@dataclass(frozen=True, slots=True)
class Point:
    """A value of the series."""

    x: float
    y: float
    label: str


@dataclass(frozen=True, slots=True)
class TargetLine:
    """A horizontal line at a target value, up to its year."""

    x1: float
    x2: float
    y: float
    label: str
    label_x: float


@dataclass(frozen=True, slots=True)
class LineChart:
    """Everything the template needs to draw the chart."""

    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    polyline: str
    points: list[Point]
    targets: list[TargetLine]
    y_ticks: list[Tick]
    x_ticks: list[Tick]


def nice_step(span: float, count: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 × 10ⁿ) giving about `count` intervals over the span."""
    raw = span / count if span > 0 else 1.0
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power  # pragma: no cover


def line_chart(
    series: Sequence[tuple[int, Decimal]],
    targets: Sequence[tuple[int, Decimal]],
    *,
    precision: int,
    unit: str,
) -> LineChart | None:
    """The chart of the series and targets; None without any value."""
    if not series:
        return None
    years = [year for year, _v in series] + [year for year, _v in targets]
    numbers = [float(v) for _y, v in series] + [float(v) for _y, v in targets]
    first_year, last_year = min(years), max(years)
    low, high = min(numbers), max(numbers)
    step = nice_step(high - low if high > low else abs(high) or 1.0)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    if high == low:
        high = low + step
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM

    def x(year: int) -> float:
        if last_year == first_year:
            return (LEFT + right) / 2
        return round(LEFT + (year - first_year) / (last_year - first_year) * (right - LEFT), 1)

    def y(value: float) -> float:
        return round(bottom - (value - low) / (high - low) * (bottom - TOP), 1)

    points = [
        Point(x(year), y(float(value)), f"{year}: {format_value(value, precision)} {unit}")
        for year, value in series
    ]
    tick_count = round((high - low) / step)
    y_ticks = [
        Tick(y(low + i * step), format_value(Decimal(str(low + i * step)), _tick_places(step)))
        for i in range(tick_count + 1)
    ]
    year_step = max(1, math.ceil((last_year - first_year) / 8))
    x_ticks = [Tick(x(year), str(year)) for year in range(first_year, last_year + 1, year_step)]
    target_lines = [
        TargetLine(
            LEFT,
            x(year),
            y(float(value)),
            _("Target %(year)s: %(value)s")
            % {"year": year, "value": format_value(value, precision)},
            min(x(year), right - 150),
        )
        for year, value in targets
    ]
    return LineChart(
        WIDTH,
        HEIGHT,
        LEFT,
        right,
        TOP,
        bottom,
        " ".join(f"{p.x},{p.y}" for p in points),
        points,
        target_lines,
        y_ticks,
        x_ticks,
    )


def _tick_places(step: float) -> int:
    """Decimal places that show a tick step exactly (0 for whole steps)."""
    places = 0
    while places < 6 and abs(step * 10**places - round(step * 10**places)) > 1e-9:
        places += 1
    return places
