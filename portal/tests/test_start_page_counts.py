"""The start page counts a field's measures the one way the whole portal does."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from plans.models import Measure, Placement


@pytest.mark.django_db
def test_field_cards_and_the_status_table_count_the_measures_placed_in_the_field(client, kek_plan):
    cache.clear()
    page = client.get("/").content.decode()
    placed_in_field_1 = (
        Placement.objects.filter(plan=kek_plan, field_number=1).values("measure").distinct().count()
    )
    assert placed_in_field_1 > 63  # more than 1-1 … 1-63: interlinked measures count too
    assert f"{placed_in_field_1} Maßnahmen eingeordnet" in page
    assert "zählt eine Maßnahme in jedem Handlungsfeld, in dem sie steht" in page
    table = page[page.index('id="stand"') :]
    first_row = re.search(r"<tbody.*?<tr.*?</tr>", table, re.S)[0]
    assert re.findall(r"<td[^>]*>(\d+)</td>", first_row)[-1] == str(placed_in_field_1)
    # The last row counts every measure once.
    total_row = re.search(r"<tfoot.*?</tr>", table, re.S)[0]
    assert re.findall(r"<td[^>]*>(\d+)</td>", total_row)[-1] == str(
        Measure.objects.filter(plan=kek_plan).count()
    )
