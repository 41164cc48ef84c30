"""Models of the catalogue: a plan, its hierarchy, organisations, measures and placements."""

from .facet import MeasureFacet
from .measure import KeyProject, Measure
from .organisation import Organisation
from .placement import (
    Placement,
    PlacementKeyProject,
    PlacementLead,
    PlacementParticipant,
    Step,
    representative_row,
)
from .plan import Node, Plan

__all__ = [
    "KeyProject",
    "Measure",
    "MeasureFacet",
    "Node",
    "Organisation",
    "Placement",
    "PlacementKeyProject",
    "PlacementLead",
    "PlacementParticipant",
    "Plan",
    "Step",
    "representative_row",
]
