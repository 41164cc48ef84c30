"""Tests of the catalogue's models and their domain reads (QuerySet methods)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plans.models import Measure, Organisation, Placement, PlacementLead
from plans.models.measure import number_sort_parts
from plans.models.placement import priority_level

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("printed", "level"),
    [("+", 1), ("++", 2), ("+++", 3), ("+++ / ++", 3), ("++ / +", 2), ("", None), (" ", None)],
)
def test_priority_level_is_the_number_of_pluses_of_the_highest_level(printed, level):
    assert priority_level(printed) == level


@given(st.integers(1, 9), st.integers(1, 999), st.integers(1, 9), st.integers(1, 999))
def test_measure_numbers_sort_like_people_read_them(f1, n1, f2, n2):
    assert (number_sort_parts(f"{f1}-{n1}") < number_sort_parts(f"{f2}-{n2}")) == (
        (f1, n1) < (f2, n2)
    )


def test_measures_in_number_order_put_1_2_before_1_10_before_2_1(plan_factory, measure_factory):
    plan = plan_factory()
    for number in ["2-1", "1-10", "1-2"]:
        measure_factory(plan=plan, number=number)

    numbers = list(Measure.objects.in_number_order().values_list("number", flat=True))

    assert numbers == ["1-2", "1-10", "2-1"]


def test_a_measure_placed_under_two_fields_is_interlinked(placement_factory, measure_factory):
    linked = measure_factory(number="1-5")
    placement_factory(measure=linked, field_number=1)
    placement_factory(measure=linked, field_number=3)
    single = measure_factory(plan=linked.plan, number="1-6")
    placement_factory(measure=single, field_number=1)
    placement_factory(measure=single, field_number=1)

    assert list(Measure.objects.interlinked()) == [linked]


def test_placements_in_document_order_follow_their_order(placement_factory, measure_factory):
    measure = measure_factory()
    later = placement_factory(measure=measure, order=7)
    earlier = placement_factory(measure=measure, order=2)

    assert list(Placement.objects.in_document_order()) == [earlier, later]


def test_leading_organisations_are_those_printed_as_lead_of_the_measure(
    placement_factory, organisation_factory
):
    row = placement_factory()
    lead = organisation_factory(plan=row.plan, abbreviation="AfS")
    organisation_factory(plan=row.plan, abbreviation="SLR")
    PlacementLead.objects.create(placement=row, organisation=lead, position=0)

    assert list(Organisation.objects.leading(row.measure)) == [lead]
    assert list(Organisation.objects.leading()) == [lead]
    assert list(Placement.objects.led_by(lead)) == [row]


def test_organisation_kinds_have_german_labels():
    assert str(Organisation.Kind.OFFICE.label) == "Amt des Landratsamtes"
    assert str(Organisation.Kind.MUNICIPALITY.label) == "Kommune"
    assert str(Organisation.Kind.PARTNER.label) == "Partner"


def test_saving_a_measure_keeps_its_sort_key_in_step_with_its_number(measure_factory):
    measure = measure_factory(number="3-56")

    assert (measure.field_part, measure.seq) == (3, 56)
