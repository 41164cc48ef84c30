"""The map's classes and colours: equal-sized classes, contrast of every colour."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal
from pathlib import Path

from indicators.choropleth import class_bounds, class_of

STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "indicators" / "indicators.css"


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted([relative_luminance(one), relative_luminance(other)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def class_fills() -> list[str]:
    css = STYLESHEET.read_text(encoding="utf-8")
    return re.findall(r"\.choropleth-class-\d \{ fill: (#[0-9a-f]{6});", css)


def test_every_map_colour_has_3_to_1_contrast_against_white_and_differs_from_its_neighbour():
    fills = class_fills()

    assert len(fills) == 5
    for fill in fills:
        assert contrast(fill, "#ffffff") >= 3, fill
    for lighter, darker in itertools.pairwise(fills):
        assert contrast(lighter, darker) >= 1.35, (lighter, darker)


def test_the_focused_gemeinde_stands_out_against_every_class():
    css = STYLESHEET.read_text(encoding="utf-8")
    rule = re.search(
        r"\.choropleth__area:focus-visible path \{\s*"
        r"fill: (#[0-9a-f]{6});\s*stroke: (#[0-9a-f]{6})",
        css,
    )
    focus_fill, focus_stroke = rule[1], rule[2]

    # Light classes: the dark outline shows the focus; dark classes: the yellow fill does.
    assert contrast(focus_fill, focus_stroke) >= 3
    for fill in class_fills():
        assert max(contrast(focus_fill, fill), contrast(focus_stroke, fill)) >= 3, fill


def test_thirty_values_fall_into_five_classes_of_six():
    values = [Decimal(n) for n in range(1, 31)]

    bounds = class_bounds(values)

    assert bounds == [Decimal(6), Decimal(12), Decimal(18), Decimal(24), Decimal(30)]
    assert [class_of(Decimal(v), bounds) for v in (1, 6, 7, 30)] == [1, 1, 2, 5]


def test_few_distinct_values_give_fewer_classes():
    assert class_bounds([Decimal(1), Decimal(1), Decimal(2)]) == [Decimal(1), Decimal(2)]
    assert class_bounds([]) == []
