"""The Leitziel page of the portal shows its indicators' attainment beside its measures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators.services import (
    TargetSpec,
    define_indicator,
    import_values,
    read_value_file,
    value_rules,
)
from plans.services.facets import refresh_measure_facets
from plans.tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db


def test_goal_page_shows_attainment_sentence_and_symbol_beside_the_measure_statuses(
    client, municipalities
):
    plan = municipalities
    define_indicator(
        plan,
        slug="fach",
        name="Fachkräfte",
        unit="%",
        direction="up",
        goals=["1.2.1"],
        targets=[TargetSpec(value=Decimal("20"), year=2030)],
    )
    rows = "indicator,ags,year,value\nfach,14729,2020,10\nfach,14729,2024,19\n"
    import_values(
        plan, read_value_file(rows.encode(), value_rules(plan)), file_name="f.csv", apply=True
    )
    subgoal = plan.nodes.get(code="1.2.1")
    measure = plan.measures.get(number="1-1")
    PlacementFactory(measure=measure, node=subgoal, goal_code="1.2", field_number=1)
    refresh_measure_facets(plan.pk)

    html = client.get("/leitziele/1.2/").content.decode()

    standing = html.split('id="zielerreichung"')[1].split("</section>")[0]
    assert "Fachkräfte" in standing
    assert "●●●" in standing  # the symbol, not only a colour
    assert "Auf Kurs" in standing
    # The measures' statuses stand beside it once: the portal's roll-up block of the goal.
    rollup = html.split('class="portal-section portal-rollup"')[1].split("</section>")[0]
    assert "status-bar" in rollup
    assert "1 Maßnahmen" in rollup or "1 Maßnahme" in rollup


def test_goal_page_without_indicators_or_measures_says_so_and_has_no_rollup(client, plan):
    html = client.get("/leitziele/1.2/").content.decode()

    standing = html.split('id="zielerreichung"')[1].split("</section>")[0]
    assert "Mit diesem Ziel ist noch kein Indikator verknüpft." in standing
    assert "portal-rollup" not in html  # no measure under the goal: no roll-up block
