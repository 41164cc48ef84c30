"""Defining indicators: links, targets, and a redefinition recorded as a new version."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from indicators.models import Indicator, IndicatorValue
from indicators.services import (
    IndicatorError,
    TargetSpec,
    define_indicator,
    import_values,
    read_value_file,
    value_rules,
)

pytestmark = pytest.mark.django_db


def test_the_command_defines_an_indicator_with_measures_goals_and_targets(plan, capsys):
    call_command(
        "indicators",
        "define",
        "--plan",
        plan.slug,
        "--slug",
        "gewerbe",
        "--name",
        "Verfügbare Gewerbefläche",
        "--unit",
        "ha",
        "--direction",
        "up",
        "--measure",
        "2-84",
        "--goal",
        "1.2.1",
        "--target",
        "120:2030",
        "--target",
        "100,5:2027",
    )

    indicator = Indicator.objects.get(plan=plan, slug="gewerbe")
    assert [m.number for m in indicator.measures.all()] == ["2-84"]
    assert [g.code for g in indicator.goals.all()] == ["1.2.1"]
    assert sorted((t.year, t.value) for t in indicator.targets.all()) == [
        (2027, Decimal("100.5")),
        (2030, Decimal(120)),
    ]
    assert indicator.version == 1
    assert "Indikator „gewerbe“ festgelegt (Version 1)." in capsys.readouterr().out


def test_an_unknown_measure_is_refused_in_german(plan):
    with pytest.raises(CommandError, match="Unbekannte Maßnahmennummer"):
        call_command(
            "indicators",
            "define",
            "--plan",
            plan.slug,
            "--slug",
            "x",
            "--name",
            "X",
            "--unit",
            "ha",
            "--measure",
            "9-99",
        )
    assert not Indicator.objects.exists()


def test_a_redefinition_is_a_new_version_and_old_values_keep_theirs(plan):
    indicator, outcome = define_indicator(plan, slug="gewerbe", name="Gewerbefläche", unit="ha")
    assert outcome == "created"
    parsed = read_value_file(
        b"indicator,ags,year,value\ngewerbe,14729,2020,10\n", value_rules(plan)
    )
    import_values(plan, parsed, file_name="a.csv", apply=True)

    indicator, outcome = define_indicator(
        plan, slug="gewerbe", name="Gewerbefläche", unit="m²", note="Neue Einheit"
    )
    parsed = read_value_file(
        b"indicator,ags,year,value\ngewerbe,14729,2021,100000\n", value_rules(plan)
    )
    import_values(plan, parsed, file_name="b.csv", apply=True)

    assert outcome == "redefined"
    assert indicator.version == 2
    assert [(d.version, d.unit, d.note) for d in indicator.definitions.all()] == [
        (1, "ha", ""),
        (2, "m²", "Neue Einheit"),
    ]
    versions = dict(
        IndicatorValue.objects.filter(indicator=indicator).values_list("year", "definition_version")
    )
    assert versions == {2020: 1, 2021: 2}


def test_defining_the_same_indicator_again_changes_nothing(plan):
    define_indicator(
        plan, slug="gewerbe", name="G", unit="ha", targets=[TargetSpec(Decimal(5), 2030)]
    )

    indicator, outcome = define_indicator(
        plan, slug="gewerbe", name="G", unit="ha", targets=[TargetSpec(Decimal("5.000"), 2030)]
    )

    assert outcome == "unchanged"
    assert indicator.definitions.count() == 1


def test_new_targets_alone_are_an_update_not_a_redefinition(plan):
    define_indicator(plan, slug="gewerbe", name="G", unit="ha")

    indicator, outcome = define_indicator(
        plan, slug="gewerbe", name="G", unit="ha", targets=[TargetSpec(Decimal(5), 2030)]
    )

    assert outcome == "updated"
    assert indicator.version == 1
    assert indicator.targets.count() == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"slug": "Mit Leerzeichen"}, "Kurzschlüssel"),
        ({"direction": "sideways"}, "Unbekannte Richtung"),
        ({"targets": [TargetSpec(Decimal(1), 1900)]}, "Zieljahre"),
        ({"direction": "band"}, "Zielkorridor"),
        ({"goals": ["7.7"]}, "Leit- oder Teilziel"),
    ],
)
def test_invalid_definitions_are_refused(plan, arguments, message):
    with pytest.raises(IndicatorError, match=message):
        define_indicator(plan, **{"slug": "gewerbe", "name": "G", "unit": "ha", **arguments})
