"""Links built in bulk match reverse()."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.links import measure_link_builder, organisation_link_builder


@pytest.mark.parametrize("number", ["2-84", "1-1", "3-16", "2-84 a", "ä?#", "a+b(c)~:@"])
def test_a_built_measure_link_is_the_one_reverse_gives(number):
    assert measure_link_builder()(number) == reverse("portal:measure", args=[number])


@pytest.mark.parametrize(
    "abbreviation", ["AfS", "EB BK", "Alle Ämter", "VA/SLR", "x?#&=", "Träger (frei)"]
)
def test_a_built_organisation_link_is_the_one_reverse_gives(abbreviation):
    assert organisation_link_builder()(abbreviation) == reverse(
        "portal:organisation", args=[abbreviation]
    )
