"""The start page explains its two ways of counting measures per field."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from plans.models import Placement


@pytest.mark.django_db
def test_field_cards_count_placed_measures_and_the_table_counts_by_number(client, kek_plan):
    cache.clear()
    page = client.get("/").content.decode()
    placed_in_field_1 = (
        Placement.objects.filter(plan=kek_plan, field_number=1).values("measure").distinct().count()
    )
    assert f"{placed_in_field_1} Maßnahmen eingeordnet" in page
    assert "Jede Maßnahme zählt hier einmal, im Handlungsfeld ihrer Nummer" in page
    table = page[page.index('id="stand"') :]
    first_row = re.search(r"<tbody.*?<tr.*?</tr>", table, re.S)[0]
    assert re.findall(r"<td[^>]*>(\d+)</td>", first_row)[-1] == "63"  # 1-1 … 1-63
