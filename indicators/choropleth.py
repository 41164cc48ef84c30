"""A choropleth of the Gemeinden drawn on the server as SVG from the shipped boundaries.

Five classes of (at most) equal size; each class a colour of `static/indicators/indicators.css`
(`.choropleth-class-N`), Gemeinden without a value hatched. Every area is a link with its
name and value, so the map is keyboard-usable and needs no JavaScript.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from indicators.display import format_value
from indicators.models import Municipality

WIDTH = 600.0
CLASSES = 5


@dataclass(frozen=True, slots=True)
class MapArea:
    """One Gemeinde on the map."""

    ags: str
    name: str
    url: str
    path: str
    value_text: str
    css_class: str
    label: str


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """A class of the colour scale and the values it covers."""

    css_class: str
    text: str


@dataclass(frozen=True, slots=True)
class Choropleth:
    """The SVG's size, its areas and the legend."""

    width: int
    height: int
    areas: list[MapArea]
    legend: list[LegendEntry]


class Projection:
    """An equirectangular projection scaled to WIDTH (good enough for one county)."""

    def __init__(self, rings: Iterable[list[list[float]]]) -> None:
        points = [point for ring in rings for point in ring]
        self.lon_min = min(p[0] for p in points)
        self.lat_max = max(p[1] for p in points)
        lat_min = min(p[1] for p in points)
        self.stretch = math.cos(math.radians((lat_min + self.lat_max) / 2))
        self.scale = WIDTH / ((max(p[0] for p in points) - self.lon_min) * self.stretch)
        self.height = math.ceil((self.lat_max - lat_min) * self.scale)

    def path(self, rings: list[list[list[float]]]) -> str:
        """SVG path data of the polygon's rings."""
        return "".join(
            "M"
            + "L".join(
                f"{(lon - self.lon_min) * self.stretch * self.scale:.1f},"
                f"{(self.lat_max - lat) * self.scale:.1f}"
                for lon, lat in ring
            )
            + "Z"
            for ring in rings
        )


def class_bounds(values: Iterable[Decimal], classes: int = CLASSES) -> list[Decimal]:
    """The upper bound of each class: quantiles of the values, at most `classes`, distinct."""
    ordered = sorted(values)
    if not ordered:
        return []
    count = min(classes, len(set(ordered)))
    bounds: list[Decimal] = []
    for i in range(1, count + 1):
        bound = ordered[math.ceil(i * len(ordered) / count) - 1]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def class_of(value: Decimal, bounds: list[Decimal]) -> int:
    """The number (1 …) of the class a value falls into."""
    for number, bound in enumerate(bounds, start=1):
        if value <= bound:
            return number
    return len(bounds)


def choropleth(
    municipalities: list[Municipality],
    values: Mapping[str, Decimal],
    *,
    precision: int,
    unit: str,
    link: Callable[[str], str],
) -> Choropleth:
    """The map of the values (by AGS) over the Gemeinden."""
    projection = Projection(ring for m in municipalities for ring in m.boundary)
    bounds = class_bounds(values.values())
    members: dict[int, list[Decimal]] = {}
    for known in values.values():
        members.setdefault(class_of(known, bounds), []).append(known)
    areas = []
    for m in municipalities:
        value = values.get(m.ags)
        text = format_value(value, precision)
        css_class = (
            f"choropleth-class-{class_of(value, bounds)}"
            if value is not None
            else "choropleth-none"
        )
        label = f"{m.name}: {text} {unit}" if value is not None else f"{m.name}: {_('no value')}"
        areas.append(
            MapArea(m.ags, m.name, link(m.ags), projection.path(m.boundary), text, css_class, label)
        )
    legend = [
        LegendEntry(
            f"choropleth-class-{number}",
            _("%(low)s to %(high)s")
            % {
                "low": format_value(min(members[number]), precision),
                "high": format_value(max(members[number]), precision),
            },
        )
        for number in sorted(members)
    ]
    if len(values) < len(municipalities):
        legend.append(LegendEntry("choropleth-none", _("no value")))
    return Choropleth(int(WIDTH), projection.height, areas, legend)
