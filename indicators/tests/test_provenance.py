"""Every value in force says where it comes from: origin, file and row, date; who in the
back office."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from indicators.models import IndicatorValue
from indicators.services import import_values, read_value_file, value_rules
from monitoring.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_indicator_page_shows_file_row_and_date_of_each_county_value(client, municipalities):
    user: Any = UserFactory(username="statistik")
    rows = b"indicator,ags,year,value\nbevoelkerung,14729,2024,250000\n"
    parsed = read_value_file(rows, value_rules(municipalities))
    import_values(municipalities, parsed, file_name="werte.csv", user=user, apply=True)

    html = client.get("/indikatoren/bevoelkerung/").content.decode()

    today = timezone.localdate().strftime("%d.%m.%Y")
    row = html.split('scope="row">2024</th>')[1].split("</tr>")[0]
    assert "250.000" in row
    assert f"werte.csv, Zeile 2, {today}" in row
    assert "statistik" not in html  # the person only in the back office
    value = IndicatorValue.objects.current().get(ags="14729", year=2024)
    assert (value.recorded_by, value.source_file, value.source_row) == (user, "werte.csv", 2)


def test_the_back_office_lists_who_recorded_a_value(admin_client, municipalities):
    user: Any = UserFactory(username="statistik")
    rows = b"indicator,ags,year,value\nbevoelkerung,14729,2024,250000\n"
    parsed = read_value_file(rows, value_rules(municipalities))
    import_values(municipalities, parsed, file_name="werte.csv", user=user, apply=True)

    html = admin_client.get("/admin/indicators/indicatorvalue/?year=2024").content.decode()

    assert "statistik" in html and "werte.csv" in html
