"""factory_boy factories of the catalogue's models."""

from __future__ import annotations

import factory
from django.utils import timezone

from plans.models import KeyProject, Measure, Node, Organisation, Placement, Plan, Step


class PlanFactory(factory.django.DjangoModelFactory):
    """A plan with the KEK level names."""

    class Meta:
        model = Plan
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"plan-{n}")
    title = factory.Sequence(lambda n: f"Plan {n}")
    level_names = factory.LazyFunction(
        lambda: ["Handlungsfeld", "Leitziel", "Teilziel", "Handlungsansatz"]
    )
    imported_at = factory.LazyFunction(timezone.now)


class NodeFactory(factory.django.DjangoModelFactory):
    """A Handlungsansatz node (level 4) unless told otherwise."""

    class Meta:
        model = Node

    plan = factory.SubFactory(PlanFactory)
    level = 4
    key = factory.Sequence(lambda n: f"1.1/1/{n}")
    code = factory.Sequence(lambda n: f"1.1.1.{n}")
    label = factory.Sequence(lambda n: f"Handlungsansatz {n}")
    order = factory.Sequence(lambda n: n)


class OrganisationFactory(factory.django.DjangoModelFactory):
    """An office of the Landratsamt."""

    class Meta:
        model = Organisation

    plan = factory.SubFactory(PlanFactory)
    abbreviation = factory.Sequence(lambda n: f"A{n}")
    name = factory.LazyAttribute(lambda o: f"Amt {o.abbreviation}")
    kind = Organisation.Kind.OFFICE


class KeyProjectFactory(factory.django.DjangoModelFactory):
    """A key project reference of field I."""

    class Meta:
        model = KeyProject

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"SV I.{n + 1}")
    field_number = 1


class MeasureFactory(factory.django.DjangoModelFactory):
    """A measure of field 1."""

    class Meta:
        model = Measure

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: f"1-{n + 1}")
    home_field = 1
    title = factory.LazyAttribute(lambda m: f"Maßnahme {m.number}")


class PlacementFactory(factory.django.DjangoModelFactory):
    """A placement of a measure in its home field."""

    class Meta:
        model = Placement

    measure = factory.SubFactory(MeasureFactory)
    plan = factory.SelfAttribute("measure.plan")
    node = factory.SubFactory(NodeFactory, plan=factory.SelfAttribute("..plan"))
    order = factory.Sequence(lambda n: n)
    line = factory.Sequence(lambda n: 100 + n)
    field_number = factory.SelfAttribute("measure.home_field")
    goal_code = "1.1"
    title = factory.SelfAttribute("measure.title")
    priority = "++"
    priority_level = 2


class StepFactory(factory.django.DjangoModelFactory):
    """A sub-item of a placement."""

    class Meta:
        model = Step

    placement = factory.SubFactory(PlacementFactory)
    order = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Schritt {n}")
