"""The attainment formula (Open SDG's compound-rate comparison) and its German sentence."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators.attainment import Attainment, assess
from indicators.display import attainment_sentence

D = Decimal


def test_a_growth_rate_at_least_95_percent_of_the_needed_one_is_on_track():
    # From 100 (2020) to 121 needs 10 % a year by 2022; 2021 at 110 achieved exactly 10 %.
    result = assess("up", [(2020, D(100)), (2021, D(110))], [(2022, D(121))])

    assert result.status == Attainment.ON_TRACK
    assert result.achieved_rate == pytest.approx(0.10)
    assert result.needed_rate == pytest.approx(0.10)


@pytest.mark.parametrize(
    ("latest", "status"),
    [
        (D("109.6"), Attainment.ON_TRACK),  # 9.6 % of 10 %: ratio 0.96
        (D(107), Attainment.MODERATE),  # ratio 0.7
        (D(102), Attainment.LIMITED),  # ratio 0.2
        (D(100), Attainment.DETERIORATION),  # no change
        (D(95), Attainment.DETERIORATION),
    ],
)
def test_the_ratio_of_achieved_to_needed_rate_sets_the_state(latest, status):
    assert assess("up", [(2020, D(100)), (2021, latest)], [(2022, D(121))]).status == status


def test_a_falling_indicator_with_a_lower_target_is_on_track_when_it_falls_fast_enough():
    result = assess("down", [(2015, D(200)), (2020, D(150))], [(2030, D(100))])

    assert result.status == Attainment.ON_TRACK


def test_a_reached_target_is_achieved_and_a_passed_one_missed():
    assert assess("up", [(2020, D(1)), (2024, D(5))], [(2030, D(5))]).status == (
        Attainment.ACHIEVED
    )
    assert assess("down", [(2020, D(9)), (2024, D(8))], [(2023, D(5))]).status == (
        Attainment.MISSED
    )


def test_the_next_target_counts_and_later_ones_wait():
    targets = [(2022, D(110)), (2030, D(1000))]

    result = assess("up", [(2020, D(100)), (2021, D(105))], targets)

    assert result.target == (2022, D(110))


def test_zero_or_negative_values_compare_yearly_absolute_changes():
    result = assess("up", [(2020, D(0)), (2022, D(4))], [(2030, D(20))])

    assert not result.relative
    assert result.achieved_rate == pytest.approx(2.0)
    assert result.needed_rate == pytest.approx(2.0)
    assert result.status == Attainment.ON_TRACK


def test_a_target_band_is_reached_inside_it():
    band = (D(40), D(60))

    assert assess("band", [(2020, D(30)), (2021, D(50))], [], band).status == Attainment.ACHIEVED
    assert assess("band", [(2020, D(80)), (2021, D(70))], [(2025, D(60))], band).target == (
        2025,
        D(60),
    )


def test_without_a_target_or_with_one_year_there_is_no_assessment():
    assert assess("up", [(2020, D(1)), (2021, D(2))], []).status == Attainment.NO_TARGET
    assert assess("up", [(2020, D(1))], [(2030, D(2))]).status == Attainment.NO_DATA


def test_every_state_has_its_own_symbol_so_no_colour_is_needed():
    symbols = {assess_state.symbol for assess_state in _one_of_each()}
    assert len(symbols) == len(Attainment)


def _one_of_each():
    from indicators.attainment import Assessment

    return [Assessment(status) for status in Attainment]


def test_the_sentence_names_the_years_rates_and_target_in_german():
    result = assess("up", [(2020, D(100)), (2021, D(110))], [(2022, D(121))])

    sentence = attainment_sentence(result, "ha", 0)

    assert sentence == (
        "Von 2020 bis 2021 hat sich der Wert im Mittel um +10,00 % pro Jahr verändert; "
        "für 121 ha bis 2022 sind +10,00 % pro Jahr nötig."
    )
