"""Hand-built ParsedPlan objects for the tests (independent of the real document parser)."""

from __future__ import annotations

import copy

from plans.importers.structure import (
    Normalisation,
    ParsedKeyProject,
    ParsedMeasure,
    ParsedNode,
    ParsedOrganisation,
    ParsedPlacement,
    ParsedPlan,
    ParsedStep,
)

LEVEL_NAMES = ["Handlungsfeld", "Leitziel", "Teilziel", "Handlungsansatz"]


def placement(
    number: str,
    order: int,
    *,
    node_key: str = "1.1/1/1",
    field_number: int = 1,
    goal_code: str = "1.1",
    lead: list[str] | None = None,
    participants: list[str] | None = None,
    priority: str = "++",
    key_projects: list[str] | None = None,
    steps: list[ParsedStep] | None = None,
    commission: bool = False,
    parent_order: int | None = None,
    title: str | None = None,
) -> ParsedPlacement:
    """A placement row with sensible defaults."""
    lead = ["AfS"] if lead is None else lead
    participants = [] if participants is None else participants
    title = title if title is not None else f"Maßnahme {number} im Feld {field_number}"
    return ParsedPlacement(
        number=number,
        order=order,
        line=100 + order,
        field_number=field_number,
        goal_code=goal_code,
        node_key=node_key,
        subgoal_label="Attraktive Standortbedingungen",
        approach_label="Sicherung der Infrastruktur",
        number_cell=" ".join([number, *(key_projects or [])]),
        title=title,
        text=title,
        steps=steps or [],
        lead=", ".join(lead),
        participants=", ".join(participants),
        priority=priority,
        lead_organisations=lead,
        participant_organisations=participants,
        key_projects=key_projects or [],
        commission=commission,
        parent_order=parent_order,
    )


def nodes_for_fields(fields: int) -> list[ParsedNode]:
    """Per field: one Leitziel, one Teilziel and two Handlungsansätze."""
    colours = ["blue", "red", "green"]
    nodes: list[ParsedNode] = []
    for f in range(1, fields + 1):
        goal, subgoal = f"{f}.1", f"{f}.1/1"
        nodes += [
            ParsedNode(1, str(f), str(f), f"Feld {f}", colour=colours[(f - 1) % 3], line=10 * f),
            ParsedNode(2, goal, goal, f"Leitziel {goal}", "Langer Text", "Seite 7 - 9",
                       line=10 * f + 1, parent_key=str(f)),
            ParsedNode(3, subgoal, f"{goal}.1", "Attraktive Standortbedingungen",
                       line=10 * f + 2, parent_key=goal),
            ParsedNode(4, f"{subgoal}/1", f"{goal}.1.1", "Sicherung der Infrastruktur",
                       line=10 * f + 3, parent_key=subgoal),
            ParsedNode(4, f"{subgoal}/2", f"{goal}.1.2", "Ansatz 2", line=10 * f + 4,
                       parent_key=subgoal, aliases=["Ansatz zwei"]),
        ]  # fmt: skip
    return nodes


def small_plan(slug: str = "kek-test") -> ParsedPlan:
    """Two fields, four measures, six placements (one interlinked, one building block)."""
    steps = [
        ParsedStep("Erster Schritt", [ParsedStep("Unterpunkt a"), ParsedStep("Unterpunkt b")]),
        ParsedStep("Zweiter Schritt"),
    ]
    return ParsedPlan(
        slug=slug,
        title="KEK Test",
        level_names=list(LEVEL_NAMES),
        organisations=[
            ParsedOrganisation("AfS", "Amt für Straßenbau", "office", True, 5, ["Afs"]),
            ParsedOrganisation("SLR", "Stabsstelle Landrat", "office", True, 6),
            ParsedOrganisation("Kommunen", "Kommunen", "municipality", True, 7),
            ParsedOrganisation("IHK", "IHK", "partner", False),
        ],
        nodes=nodes_for_fields(2),
        measures=[
            ParsedMeasure("1-1", 1, "Maßnahme 1-1 im Feld 1", False),
            ParsedMeasure("1-2", 1, "Maßnahme 1-2 im Feld 1", True),
            ParsedMeasure("1-10", 1, "Maßnahme 1-10 im Feld 1", False),
            ParsedMeasure("2-1", 2, "Maßnahme 2-1 im Feld 2", False),
        ],
        placements=[
            placement("1-1", 0, lead=["AfS"], participants=["SLR", "Kommunen"], priority="+++"),
            placement(
                "1-2",
                1,
                lead=["SLR", "AfS"],
                key_projects=["SV I.2", "SV I.1"],
                steps=steps,
                commission=True,
                priority="+++ / ++",
            ),
            placement("1-10", 2, node_key="1.1/1/2", priority=""),
            placement(
                "2-1",
                3,
                node_key="2.1/1/1",
                field_number=2,
                goal_code="2.1",
                lead=["Kommunen"],
                participants=["IHK"],
                priority="+",
            ),
            placement(
                "2-1",
                4,
                node_key="2.1/1/1",
                field_number=2,
                goal_code="2.1",
                lead=["AfS"],
                parent_order=3,
                title="Baustein von 2-1",
            ),
            placement(
                "1-2",
                5,
                node_key="2.1/1/2",
                field_number=2,
                goal_code="2.1",
                lead=["SLR"],
                steps=[ParsedStep("Im Feld 2")],
            ),
        ],
        key_projects=[ParsedKeyProject("SV I.1", 1), ParsedKeyProject("SV I.2", 1)],
        normalisations=[Normalisation(101, "alias", "Afs", "AfS", "Schreibweise")],
        unresolved=[(104, "XYZ")],
        source_lines=400,
        source_sha256="a" * 64,
    )


def changed(plan: ParsedPlan) -> ParsedPlan:
    """A deep copy to edit without touching the original."""
    return copy.deepcopy(plan)


def synthetic_plan(
    placements: int = 270, measures: int = 220, organisations: int = 100, steps_per: int = 4
) -> ParsedPlan:
    """A plan the size of KEK 2030, for timing the import."""
    fields = 3
    abbreviations = [f"ORG{i}" for i in range(organisations)]
    numbers = [f"{i % fields + 1}-{i // fields + 1}" for i in range(measures)]
    rows = []
    for order in range(placements):
        number = numbers[order % measures]
        f = int(number.split("-")[0]) if order < measures else (order % fields) + 1
        steps = [
            ParsedStep(f"Schritt {k}", [ParsedStep(f"Unterpunkt {k}.{j}") for j in range(1)])
            for k in range(steps_per // 2)
        ]
        rows.append(
            placement(
                number,
                order,
                node_key=f"{f}.1/1/{order % 2 + 1}",
                field_number=f,
                goal_code=f"{f}.1",
                lead=[abbreviations[order % organisations]],
                participants=[abbreviations[(order + k) % organisations] for k in (1, 2, 3)],
                key_projects=["SV I.1"] if order % 7 == 0 else [],
                steps=steps,
            )
        )
    return ParsedPlan(
        slug="kek-synthetisch",
        title="Synthetischer Plan",
        level_names=list(LEVEL_NAMES),
        organisations=[ParsedOrganisation(a, f"Amt {a}", "office", True) for a in abbreviations],
        nodes=nodes_for_fields(fields),
        measures=[ParsedMeasure(n, int(n.split("-")[0]), f"Maßnahme {n}", False) for n in numbers],
        placements=rows,
        key_projects=[ParsedKeyProject("SV I.1", 1)],
    )
