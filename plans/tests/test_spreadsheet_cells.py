"""Formula injection: one rule for every CSV and XLSX the product writes."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from plans.exporters import export_placements, render_csv
from plans.spreadsheet_cells import for_csv, looks_like_formula
from plans.tests.factories import MeasureFactory, PlacementFactory, PlanFactory
from portal.open_data_formats import render_xlsx

HYPERLINK = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", HYPERLINK])
def test_formula_like_texts_get_an_apostrophe_in_csv(text: str) -> None:
    assert looks_like_formula(text)
    assert for_csv(text) == "'" + text


@pytest.mark.parametrize("value", ["Radweg", "2-84", "", None, 5, -3, "a=b"])
def test_other_values_stay(value: Any) -> None:
    assert for_csv(value) == value


def test_render_csv_neutralises_by_default_and_keeps_exact_text_on_request() -> None:
    rows = [{"title": HYPERLINK, "n": -1}]
    neutral = list(csv.reader(io.StringIO(render_csv(("title", "n"), rows).decode())))
    assert neutral[1] == ["'" + HYPERLINK, "-1"]
    exact = render_csv(("title", "n"), rows, for_spreadsheets=False).decode()
    assert list(csv.reader(io.StringIO(exact)))[1] == [HYPERLINK, "-1"]


def test_xlsx_keeps_the_exact_text_as_a_string_cell() -> None:
    data = render_xlsx(("title",), [{"title": HYPERLINK}], title="t")
    cell = load_workbook(io.BytesIO(data))["t"]["A2"]
    assert (cell.value, cell.data_type) == (HYPERLINK, "s")


@pytest.mark.django_db
def test_kek_export_placements_keeps_exact_text_unless_for_spreadsheets(
    capsys: pytest.CaptureFixture[str],
) -> None:
    plan = PlanFactory(slug="formeln")
    PlacementFactory(measure=MeasureFactory(plan=plan), approach_label=HYPERLINK)
    assert HYPERLINK.replace('"', '""') in export_placements(plan, "csv").decode()
    call_command("export", "placements", "--plan", "formeln")
    exact = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert exact[0]["approach"] == HYPERLINK
    call_command("export", "placements", "--plan", "formeln", "--for-spreadsheets")
    neutral = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert neutral[0]["approach"] == "'" + HYPERLINK
    assert list(neutral[0]) == list(exact[0])  # the columns stay exactly as they are


@pytest.mark.django_db
def test_open_data_status_csv_neutralises_a_formula_in_a_measure_title(
    client: Any, settings: Any
) -> None:
    plan = PlanFactory(slug="formeln")
    settings.KEK_PLAN_SLUG = plan.slug
    PlacementFactory(measure=MeasureFactory(plan=plan, number="1-1", title=HYPERLINK))
    response = client.get("/daten/formeln-umsetzungsstand.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert rows[0]["title"] == "'" + HYPERLINK
