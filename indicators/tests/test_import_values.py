"""Importing values: preview, all or nothing, provenance, superseded values, the command."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from indicators.models import Indicator, IndicatorValue
from indicators.services import (
    ValueImportError,
    define_indicator,
    import_values,
    read_value_file,
    value_rules,
)
from plans.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(municipalities: Plan):
    indicator, _outcome = define_indicator(
        municipalities, slug="gewerbe", name="Gewerbefläche", unit="ha", precision=1
    )
    return indicator


def preview(plan, data: bytes, apply: bool = False, indicator: str | None = None):
    parsed = read_value_file(data, value_rules(plan, indicator))
    return import_values(plan, parsed, file_name="werte.csv", apply=apply)


def test_preview_writes_nothing_and_apply_writes_values_with_provenance(indicator, admin_user):
    data = (
        b"indicator;ags;year;value;source\n"
        b"gewerbe;14729;2020;10,5;Amt\ngewerbe;14729160;2020;3;Amt\n"
    )

    first = preview(indicator.plan, data)
    assert (len(first.new), len(first.changed), first.unchanged) == (2, 0, 0)
    assert not IndicatorValue.objects.filter(indicator=indicator).exists()

    parsed = read_value_file(data, value_rules(indicator.plan))
    import_values(indicator.plan, parsed, file_name="werte.csv", user=admin_user, apply=True)

    value = IndicatorValue.objects.get(indicator=indicator, ags="14729")
    assert value.value == Decimal("10.5")
    assert (value.source_file, value.source_row, value.source_note) == ("werte.csv", 2, "Amt")
    assert value.recorded_by == admin_user
    assert value.origin == IndicatorValue.Origin.IMPORT
    assert value.definition_version == 1


def test_a_changed_value_supersedes_the_old_one_which_is_kept(indicator):
    preview(indicator.plan, b"indicator,ags,year,value\ngewerbe,14729,2020,10\n", apply=True)

    again = preview(
        indicator.plan,
        b"indicator,ags,year,value\ngewerbe,14729,2020,11\ngewerbe,14729,2021,12\n"
        b"gewerbe,14729160,2020,1\n",
        apply=True,
    )

    assert (len(again.new), len(again.changed), again.unchanged) == (2, 1, 0)
    assert again.changed[0][1] == Decimal(10)
    rows = IndicatorValue.objects.filter(indicator=indicator, ags="14729", year=2020)
    assert sorted((r.value, r.superseded_at is None) for r in rows) == [
        (Decimal(10), False),
        (Decimal(11), True),
    ]
    assert (
        preview(indicator.plan, b"indicator,ags,year,value\ngewerbe,14729,2020,11\n").unchanged == 1
    )


def test_a_file_with_one_bad_row_writes_nothing(indicator):
    data = b"indicator,ags,year,value\ngewerbe,14729,2020,10\ngewerbe,14729,2021,zehn\n"

    with pytest.raises(ValueImportError) as refused:
        preview(indicator.plan, data, apply=True)

    assert refused.value.problems == ["Zeile 3, Spalte „value“: „zehn“ ist keine Zahl."]
    assert not IndicatorValue.objects.filter(indicator=indicator).exists()


def test_an_ags_outside_the_loaded_gemeinden_is_refused(indicator):
    with pytest.raises(ValueImportError) as refused:
        preview(indicator.plan, b"indicator,ags,year,value\ngewerbe,14729999,2020,1\n")

    assert "liegt nicht im Landkreis" in refused.value.problems[0]


def test_an_import_changes_the_plan_revision_so_cached_pages_are_rendered_anew(indicator):
    before = Plan.objects.get(pk=indicator.plan.pk).revision

    preview(indicator.plan, b"indicator,ags,year,value\ngewerbe,14729,2020,1\n", apply=True)

    assert Plan.objects.get(pk=indicator.plan.pk).revision > before


def test_the_command_previews_and_with_apply_imports_a_genesis_file(indicator, write_file, capsys):
    path = write_file(
        "12411-01-01-5.csv",
        "Zeit;1_Auspraegung_Code;1_Auspraegung_Label;FLC006__Fläche__ha\n"
        "2022;14729160;Grimma;21823,4\n2022;14729410;Wurzen;-\n",
        encoding="latin-1",
    )

    call_command(
        "indicators", "import", str(path), "--plan", indicator.plan.slug, "--indicator", "gewerbe"
    )
    assert not IndicatorValue.objects.filter(indicator=indicator).exists()
    call_command(
        "indicators",
        "import",
        str(path),
        "--plan",
        indicator.plan.slug,
        "--indicator",
        "gewerbe",
        "--apply",
    )

    output = capsys.readouterr().out
    assert "1 neue, 0 geänderte, 0 unveränderte Werte; 1 Zeilen ohne Wert." in output
    assert "Werte geschrieben." in output
    value = IndicatorValue.objects.get(indicator=indicator)
    assert (value.ags, value.year, value.value, value.source_row) == (
        "14729160",
        2022,
        Decimal("21823.4"),
        2,
    )


def test_the_command_lists_every_refused_row_and_fails(indicator, write_file, capsys):
    path = write_file("bad.csv", "indicator,ags,year,value\ngewerbe,14729,2099,1\n")

    with pytest.raises(CommandError, match="Nichts eingelesen: 1 Zeile"):
        call_command("indicators", "import", str(path), "--plan", indicator.plan.slug)

    assert "Zeile 2, Spalte „year“: Jahr 2099 liegt außerhalb" in capsys.readouterr().err


def test_a_large_import_on_postgresql_leaves_the_values_table_analysed(indicator):
    """COPY fills the table faster than autovacuum counts it: the import runs ANALYZE, so the
    planner knows the rows (the Gemeinde page read every value without it)."""

    from django.db import connection
    from django.utils import timezone

    from indicators.services.value_rows import ANALYZE_AFTER, insert_values

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner statistics")
    rows = [
        (indicator.pk, "14729160", 1000 + n, None, Decimal(n), 1, "", "", n)
        for n in range(ANALYZE_AFTER)
    ]
    written = insert_values(
        rows,
        origin=IndicatorValue.Origin.IMPORT,
        source_file="gross.csv",
        recorded_at=timezone.now(),
        recorded_by_id=None,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN (%s, %s)",
            [IndicatorValue._meta.db_table, Indicator._meta.db_table],
        )
        counted = dict(cursor.fetchall())

    assert written == ANALYZE_AFTER
    # The statistics count the rows the import wrote, and the indicators (-1: never analysed).
    assert counted[IndicatorValue._meta.db_table] >= ANALYZE_AFTER
    assert counted[Indicator._meta.db_table] >= 1
