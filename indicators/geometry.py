"""Plain geometry on the shipped boundaries (WGS84 rings), no Django."""

from __future__ import annotations


def point_in_boundary(rings: list[list[list[float]]], longitude: float, latitude: float) -> bool:
    """Whether the point lies inside the polygon (even-odd rule: holes are left out)."""
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > latitude) != (y2 > latitude):
                crossing = x1 + (latitude - y1) * (x2 - x1) / (y2 - y1)
                if longitude < crossing:
                    inside = not inside
    return inside


def inner_point(rings: list[list[list[float]]]) -> tuple[float, float]:
    """A point (longitude, latitude) inside the polygon: the middle of the widest inside
    stretch of the horizontal line through the middle of its height."""
    outer = rings[0]
    latitude = (min(p[1] for p in outer) + max(p[1] for p in outer)) / 2
    crossings = sorted(
        x1 + (latitude - y1) * (x2 - x1) / (y2 - y1)
        for ring in rings
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
        if (y1 > latitude) != (y2 > latitude)
    )
    stretches = list(zip(crossings[::2], crossings[1::2], strict=False))
    left, right = max(stretches, key=lambda s: s[1] - s[0])
    return (left + right) / 2, latitude
