"""Open data: downloads equal the exporters' output, the page documents them, DCAT-AP.de."""

from __future__ import annotations

import io
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.timezone import localtime
from openpyxl import load_workbook

from plans.exporters import PLACEMENT_COLUMNS, export_placements, export_plan_json
from plans.models import Plan
from plans.plan_data import SCHEMA_PATH
from plans.services import import_parsed_plan
from plans.synthetic import scaled_plan
from portal.download_store import build_downloads
from portal.views.open_data import column_descriptions

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Render every page afresh, so that contents and query counts are real."""
    cache.clear()
    yield
    cache.clear()


def test_csv_download_equals_the_exporter_output_byte_for_byte(client, kek_plan):
    response = client.get("/daten/kek-2030-massnahmen.csv")

    assert response.status_code == 200
    content = response.getvalue()  # a stored file: its stream is read once
    assert content == export_placements(kek_plan, "csv", for_spreadsheets=True)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="kek-2030-massnahmen.csv"'
    header = content.decode("utf-8").splitlines()[0]
    assert header == ",".join(PLACEMENT_COLUMNS)


def test_json_download_equals_the_exporter_output_byte_for_byte(client, kek_plan):
    response = client.get("/daten/kek-2030-massnahmen.json")

    assert response.getvalue() == export_placements(kek_plan, "json")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="kek-2030-massnahmen.json"'


def test_whole_plan_download_equals_the_plan_export_and_its_schema_is_served(client, kek_plan):
    plan_response = client.get("/daten/kek-2030-plan.json")
    schema_response = client.get("/daten/plan.schema.json")

    assert plan_response.getvalue() == export_plan_json(kek_plan)
    assert schema_response.getvalue() == SCHEMA_PATH.read_bytes()
    assert schema_response["Content-Type"] == "application/schema+json"
    assert "attachment" in schema_response["Content-Disposition"]


def test_xlsx_download_opens_with_openpyxl_and_has_the_rows_of_the_csv(client, kek_plan):
    response = client.get("/daten/kek-2030-massnahmen.xlsx")

    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="kek-2030-massnahmen.xlsx"'
    sheet = load_workbook(io.BytesIO(response.getvalue()), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == PLACEMENT_COLUMNS
    exported = json.loads(export_placements(kek_plan, "json"))
    assert len(rows) == len(exported) + 1
    as_strings = [tuple("" if v is None else v for v in row) for row in rows[1:]]
    assert as_strings == [tuple(row[c] for c in PLACEMENT_COLUMNS) for row in exported]


def test_xlsx_keeps_text_that_looks_like_a_formula_as_text():
    from portal.open_data_formats import render_xlsx

    content = render_xlsx(("a",), [{"a": "=1+1"}], title="t")

    cell = load_workbook(io.BytesIO(content)).active["A2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")


@pytest.mark.parametrize(
    "filename", ["kek-2030-massnahmen.pdf", "andere-massnahmen.csv", "passwd", "..%2Fsettings.py"]
)
def test_unknown_download_is_404(client, kek_plan, filename):
    assert client.get(f"/daten/{filename}").status_code == 404


def test_open_data_page_documents_every_column_licence_publisher_and_date(
    client, kek_plan, settings
):
    settings.KEK_PUBLISHER = "Landkreis Leipzig, Stabsstelle"
    response = client.get("/daten/")
    html = response.content.decode()

    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert '<th class="kern-table__header" scope="col">Spalte</th>' in html
    assert "Bedeutung" in html
    for column, meaning in column_descriptions(kek_plan):
        assert f"<code>{column}</code>" in html
        assert escape(meaning) in html
    assert "Datenlizenz Deutschland – Namensnennung – Version 2.0" in html
    assert 'href="https://www.govdata.de/dl-de/by-2-0"' in html
    assert "Landkreis Leipzig, Stabsstelle" in html
    imported = localtime(kek_plan.imported_at)
    assert (
        f'<time datetime="{imported.date().isoformat()}">{date_format(imported, "j. F Y")}</time>'
        in html
    )
    for filename in ["kek-2030-massnahmen.csv", "kek-2030-massnahmen.xlsx", "kek-2030-plan.json"]:
        assert f'href="/daten/{filename}"' in html
    assert 'href="/daten/dcat"' in html
    assert 'href="/daten/dcat.ttl"' in html


def test_column_descriptions_use_the_plans_level_names(kek_plan):
    meanings = dict(column_descriptions(kek_plan))

    assert set(meanings) == set(PLACEMENT_COLUMNS)
    assert "Handlungsfeld" in meanings["field"]
    assert "Leitziel" in meanings["goal"]


def test_licence_is_configurable(client, kek_plan, settings):
    settings.KEK_DATA_LICENSE = "Creative Commons Namensnennung 4.0"
    settings.KEK_DATA_LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"

    html = client.get("/daten/").content.decode()

    assert "Creative Commons Namensnennung 4.0" in html
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in html


def test_dcat_metadata_is_json_ld_with_the_dcat_ap_de_keys(client, kek_plan):
    response = client.get("/daten/dcat")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    catalog = json.loads(response.content)
    assert catalog["@type"] == "dcat:Catalog"
    assert set(catalog["@context"]) >= {"dcat", "dct", "dcatde", "foaf"}
    dataset = catalog["dcat:dataset"][0]
    assert dataset["@type"] == "dcat:Dataset"
    for key in ["dct:title", "dct:description", "dct:publisher", "dct:license", "dct:modified"]:
        assert dataset[key], key
    assert dataset["dct:publisher"] == {"@type": "foaf:Agent", "foaf:name": "Landkreis Leipzig"}
    assert dataset["dct:license"] == {"@id": "http://dcat-ap.de/def/licenses/dl-by-de/2.0"}
    assert dataset["dct:modified"]["@value"] == kek_plan.imported_at.isoformat()
    assert dataset["dcat:theme"] == {
        "@id": "http://publications.europa.eu/resource/authority/data-theme/GOVE"
    }
    assert dataset["dcatde:contributorID"]["@id"].startswith("http://dcat-ap.de/def/contributors/")


def test_dcat_metadata_has_one_distribution_per_download_with_absolute_urls(client, kek_plan):
    catalog = json.loads(client.get("/daten/dcat").content)
    distributions = [d for dataset in catalog["dcat:dataset"] for d in dataset["dcat:distribution"]]

    urls = [d["dcat:downloadURL"]["@id"] for d in distributions]
    assert urls == [
        "http://testserver/daten/kek-2030-massnahmen.csv",
        "http://testserver/daten/kek-2030-massnahmen.json",
        "http://testserver/daten/kek-2030-massnahmen.xlsx",
        "http://testserver/daten/kek-2030-plan.json",
        "http://testserver/daten/plan.schema.json",
        "http://testserver/daten/kek-2030-umsetzungsstand.csv",
        "http://testserver/daten/kek-2030-umsetzungsstand-excel.csv",
        "http://testserver/daten/kek-2030-umsetzungsstand.json",
        "http://testserver/daten/kek-2030-umsetzungsstand.xlsx",
        "http://testserver/daten/kek-2030-berichte.csv",
        "http://testserver/daten/kek-2030-berichte-excel.csv",
        "http://testserver/daten/kek-2030-berichte.json",
        "http://testserver/daten/kek-2030-berichte.xlsx",
    ]
    for distribution in distributions:
        assert distribution["@type"] == "dcat:Distribution"
        assert distribution["dcat:accessURL"] == {"@id": "http://testserver/daten/"}
        assert distribution["dct:format"]["@id"].startswith(
            "http://publications.europa.eu/resource/authority/file-type/"
        )
        assert distribution["dcat:mediaType"]["@id"].startswith(
            "https://www.iana.org/assignments/media-types/"
        )
        response = client.get(distribution["dcat:downloadURL"]["@id"])
        assert response.status_code == 200
        assert response.getvalue()  # read to the end: the test client then closes the file


def test_open_data_pages_run_the_same_number_of_queries_on_a_plan_ten_times_larger(
    client, kek_parsed, settings
):
    def query_counts(slug: str) -> dict[str, int]:
        # The files are built once per change, not by the request (portal.download_store).
        build_downloads(Plan.objects.get(slug=slug).pk)
        counts = {}
        for path in [
            "/daten/",
            "/daten/dcat",
            "/daten/dcat.ttl",
            f"/daten/{slug}-massnahmen.csv",
            f"/daten/{slug}-massnahmen.xlsx",
            f"/daten/{slug}-plan.json",
        ]:
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
                assert response.status_code == 200, path
                assert response.getvalue(), path  # read to the end, which closes a file
            counts[path.replace(slug, "<slug>")] = len(queries)
        return counts

    import_parsed_plan(kek_parsed, apply=True)
    on_kek = query_counts("kek-2030")
    import_parsed_plan(scaled_plan(kek_parsed, 10, slug="kek-2030-x10"), apply=True)
    settings.KEK_PLAN_SLUG = "kek-2030-x10"

    on_ten_times = query_counts("kek-2030-x10")
    assert on_ten_times == on_kek
