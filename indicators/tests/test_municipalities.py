"""The shipped Gemeinden: loaded once with population and density, a second load changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from indicators.models import COUNTY_AGS, Indicator, IndicatorValue, Municipality
from indicators.tests.conftest import BOUNDARIES

pytestmark = pytest.mark.django_db


def test_the_thirty_gemeinden_are_loaded_with_population_and_density(municipalities):
    assert Municipality.objects.count() == 30
    grimma = Municipality.objects.get(ags="14729160")
    assert (grimma.name, grimma.area_km2) == ("Grimma", Decimal("218.23"))
    values = IndicatorValue.objects.current()
    assert values.get(indicator__slug="bevoelkerung", ags="14729160", year=2023).value == 28269
    assert values.get(indicator__slug="bevoelkerung", ags=COUNTY_AGS).value == 261573
    density = values.get(indicator__slug="bevoelkerungsdichte", ags="14729160").value
    assert density == Decimal("129.537644")  # 28,269 / 218.23 km²
    assert values.get(indicator__slug="bevoelkerung", ags=COUNTY_AGS).origin == "setup"


def test_loading_again_changes_nothing(municipalities, capsys):
    before = IndicatorValue.objects.count()

    call_command(
        "indicators", "load-municipalities", str(BOUNDARIES), "--plan", municipalities.slug
    )

    assert "Gemeinden: 0 neu, 0 geändert; 0 Werte geschrieben." in capsys.readouterr().out
    assert IndicatorValue.objects.count() == before
    # population and density, and the aggregates of the three registers the command adds
    assert Indicator.objects.filter(plan=municipalities).count() == 5


def test_the_population_indicator_is_linked_to_its_goal(municipalities):
    population = Indicator.objects.get(plan=municipalities, slug="bevoelkerung")

    assert [g.code for g in population.goals.all()] == ["1.2"]
