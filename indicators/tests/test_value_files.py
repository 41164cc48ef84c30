"""Reading value files without Django: long format and GENESIS flat CSV, and what is refused."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from indicators.importers.values_csv import (
    ValueFileError,
    ValueRules,
    parse_number,
    parse_values,
)

RULES = ValueRules(
    allowed_ags=frozenset({"14729", "14729160", "14729410"}),
    first_year=1990,
    last_year=2025,
    indicators=frozenset({"gewerbe", "einwohner"}),
)

FFCSV = (
    "Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;1_Merkmal_Label;"
    "1_Auspraegung_Code;1_Auspraegung_Label;BEVSTD__Bevölkerungsstand__Anzahl\n"
    "12411;Fortschreibung des Bevölkerungsstandes;STAG;Stichtag;31.12.2023;GEMEIN;Gemeinden;"
    "14729160;Grimma;28269\n"
    "12411;Fortschreibung des Bevölkerungsstandes;STAG;Stichtag;31.12.2023;GEMEIN;Gemeinden;"
    "14729410;Wurzen;...\n"
    "12411;Fortschreibung des Bevölkerungsstandes;STAG;Stichtag;31.12.2022;KREISE;Kreise;"
    "14729;Landkreis Leipzig;258139,5\n"
)


def test_long_format_with_commas_and_decimal_points_is_read():
    data = b"indicator,ags,year,value,source\ngewerbe,14729,2020,12.5,Amt\n"

    parsed = parse_values(data, RULES)

    assert parsed.format == "long"
    assert parsed.errors == []
    [value] = parsed.values
    assert (value.indicator, value.ags, value.year, value.value, value.source, value.row) == (
        "gewerbe",
        "14729",
        2020,
        Decimal("12.5"),
        "Amt",
        2,
    )


def test_long_format_in_latin_1_with_semicolons_and_decimal_commas_is_read():
    data = "indicator;ags;year;value;source\ngewerbe;14729160;2021;1.234,5;Größenamt\n".encode(
        "latin-1"
    )

    parsed = parse_values(data, RULES)

    assert parsed.encoding != "UTF-8"
    assert parsed.delimiter == ";"
    assert parsed.values[0].value == Decimal("1234.5")
    assert parsed.values[0].source == "Größenamt"


def test_long_format_without_indicator_column_takes_the_named_indicator():
    rules = ValueRules(RULES.allowed_ags, 1990, 2025, RULES.indicators, indicator="gewerbe")

    parsed = parse_values(b"ags;year;value\n14729;2020;3\n", rules)

    assert [(v.indicator, v.value) for v in parsed.values] == [("gewerbe", Decimal(3))]


def test_genesis_flat_csv_in_latin_1_is_read_with_dates_and_markers():
    rules = ValueRules(RULES.allowed_ags, 1990, 2025, RULES.indicators, indicator="einwohner")

    parsed = parse_values(FFCSV.encode("latin-1"), rules)

    assert parsed.format == "ffcsv"
    assert parsed.errors == []
    assert [(v.ags, v.year, v.reference_date, v.value) for v in parsed.values] == [
        ("14729160", 2023, datetime.date(2023, 12, 31), Decimal(28269)),
        ("14729", 2022, datetime.date(2022, 12, 31), Decimal("258139.5")),
    ]
    assert [str(p) for p in parsed.missing] == [
        "Zeile 3, Spalte „BEVSTD__Bevölkerungsstand__Anzahl“: „...“: kein Wert, übersprungen."
    ]


def test_genesis_flat_csv_needs_the_target_indicator():
    with pytest.raises(ValueFileError, match="--indicator"):
        parse_values(FFCSV.encode("utf-8"), RULES)


def test_genesis_flat_csv_with_two_value_columns_needs_a_column_choice():
    data = "Zeit;1_Auspraegung_Code;A__Eins__Anzahl;B__Zwei__Anzahl\n2020;14729;1;2\n"
    rules = ValueRules(RULES.allowed_ags, 1990, 2025, RULES.indicators, indicator="einwohner")

    with pytest.raises(ValueFileError, match="Mehrere Wertspalten"):
        parse_values(data.encode(), rules)
    chosen = ValueRules(**{**_fields(rules), "column": "B"})
    assert parse_values(data.encode(), chosen).values[0].value == Decimal(2)


def _fields(rules: ValueRules) -> dict:
    return {name: getattr(rules, name) for name in rules.__slots__}


def test_refused_rows_name_their_row_and_column_in_german():
    data = (
        b"indicator,ags,year,value\n"
        b"gewerbe,14730000,2020,1\n"
        b"gewerbe,14729,1980,1\n"
        b"gewerbe,14729,2020,viel\n"
        b"gewerbe,14729,2021,1\n"
        b"gewerbe,14729,2021,2\n"
        b"unbekannt,14729,2021,2\n"
    )

    parsed = parse_values(data, RULES)

    assert [str(problem) for problem in parsed.errors] == [
        "Zeile 2, Spalte „ags“: AGS „14730000“ liegt nicht im Landkreis.",
        "Zeile 3, Spalte „year“: Jahr 1980 liegt außerhalb von 1990–2025.",
        "Zeile 4, Spalte „value“: „viel“ ist keine Zahl.",
        "Zeile 6, Spalte „year“: Wert für 14729 im Jahr 2021 doppelt (schon in Zeile 5).",
        "Zeile 7, Spalte „indicator“: Indikator „unbekannt“ ist nicht definiert.",
    ]


def test_a_header_without_the_needed_columns_is_refused():
    with pytest.raises(ValueFileError, match="„value“"):
        parse_values(b"indicator,ags,year\n", RULES)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12", Decimal(12)),
        ("12,5", Decimal("12.5")),
        ("12.5", Decimal("12.5")),
        ("1.234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("-3", Decimal(-3)),
        (" 7 ", Decimal(7)),
        ("abc", None),
        ("1,2,3", None),
        ("", None),
    ],
)
def test_numbers_take_a_decimal_comma_or_point(text, number):
    assert parse_number(text) == number
