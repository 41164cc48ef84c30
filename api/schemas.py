"""The shapes of the API's answers and requests (pydantic, through django-ninja)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field


class Problem(Schema):
    """An RFC 9457 problem detail; `errors` maps fields to German messages where data was bad."""

    type: str = "about:blank"
    status: int
    title: str
    detail: str
    errors: dict[str, list[str]] | None = None


class Page(Schema):
    """Paging of a list: the total and the links to the neighbouring pages."""

    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None


class PlanOut(Schema):
    slug: str
    title: str
    level_names: list[str]
    revision: int
    statuses: list[StatusOptionOut]
    links: dict[str, str]


class StatusOptionOut(Schema):
    key: str
    label: str
    order: int
    is_continuous: bool


class NodeOut(Schema):
    code: str
    level: int
    level_name: str
    label: str
    text: str
    pages: str
    colour: str
    parent: str | None = Field(description="Code of the parent node")
    url: str
    links: dict[str, str]


class NodeList(Page):
    results: list[NodeOut]


class OrganisationRef(Schema):
    abbreviation: str
    name: str
    url: str


class CurrentStatus(Schema):
    """A measure's current status: of its newest published report (monitoring/README.md)."""

    key: str | None
    label: str | None
    progress: int | None
    round: str = Field(description="Slug of the round the status comes from")
    round_name: str
    reporting_date: datetime.date
    organisation: str
    report: str = Field(description="URL of the report")


class MeasureSummary(Schema):
    number: str
    title: str
    home_field: int
    commission: bool
    status: CurrentStatus | None
    url: str


class MeasureList(Page):
    results: list[MeasureSummary]


class PlacementOut(Schema):
    id: int
    measure: str = Field(description="Number of the measure")
    node: str = Field(description="Code of the deepest outline node the row stands under")
    field_number: int
    goal_code: str
    subgoal_label: str
    approach_label: str
    number_cell: str
    title: str
    text: str
    lead: list[OrganisationRef]
    participants: list[OrganisationRef]
    priority: str
    priority_level: int | None
    commission: bool
    key_projects: list[str]
    building_block_of: int | None
    steps: list[str]
    url: str
    links: dict[str, str]


class PlacementList(Page):
    results: list[PlacementOut]


class CouncilPaperOut(Schema):
    """A Kreistag paper (Drucksache) the measure cites, confirmed by the coordination."""

    reference: str = Field(description="Drucksachen-Nr.")
    name: str
    date: datetime.date | None
    paper_type: str
    decision: str
    web_url: str = Field(description="The paper's page in the council information system")
    oparl_id: str = Field(description="The paper's OParl URL, empty if entered by hand")


class StatusCountOut(Schema):
    key: str
    label: str
    count: int = Field(description="How many Gemeinden give this status")


class MunicipalTallyOut(Schema):
    total: int = Field(description="The Gemeinden of the county")
    without_statement: int
    sentence: str = Field(description="e.g. „In 12 von 30 Gemeinden umgesetzt; 18 ohne Angabe.“")
    counts: list[StatusCountOut]


class MeasureOut(MeasureSummary):
    placements: list[PlacementOut]
    council_papers: list[CouncilPaperOut]
    links: dict[str, str]
    municipalities: MunicipalTallyOut | None = Field(
        None,
        description=(
            "Measures led by “Kommunen”: the Gemeinden's contributions in force per status "
            "(indicators.contribution_reads.contribution_tally); null for other measures"
        ),
    )


class OrganisationOut(OrganisationRef):
    kind: str
    in_glossary: bool
    links: dict[str, str]


class OrganisationList(Page):
    results: list[OrganisationOut]


class KeyProjectOut(Schema):
    code: str
    slug: str
    field_number: int
    url: str
    links: dict[str, str]


class KeyProjectList(Page):
    results: list[KeyProjectOut]


class RoundOut(Schema):
    slug: str
    name: str
    reporting_date: datetime.date
    deadline: datetime.date
    state: str
    closed_at: datetime.datetime | None
    amended_after_closing: bool
    url: str
    links: dict[str, str]


class RoundList(Page):
    results: list[RoundOut]


class MeasureStatus(Schema):
    measure: str
    measure_url: str
    status: CurrentStatus | None


class StatusList(Page):
    results: list[MeasureStatus]


class ReportOut(Schema):
    id: int
    measure: str
    round: str
    organisation: str
    state: str
    version: int
    status: str | None
    status_label: str | None
    progress: int | None
    summary: str
    next_steps: str
    obstacles: str
    funding_programme: str
    funding_state: str
    funding_amount: Decimal | None
    expected_completion: datetime.date | None
    return_comment: str
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    published_at: datetime.datetime | None
    url: str
    links: dict[str, str]


class ReportList(Page):
    results: list[ReportOut]


class ReportStart(Schema):
    """Start a draft: the round (slug), the measure (number), the organisation (abbreviation;
    by default the user's own)."""

    round: str
    measure: str
    organisation: str | None = None


class ReportValues(Schema):
    """The values an office may set (`StatusReport.USER_EDITABLE_FIELDS`); absent = unchanged."""

    status: str | None = Field(default=None, description="Key of a status option")
    progress: int | None = Field(default=None, ge=0, le=100)
    summary: str | None = None
    next_steps: str | None = None
    obstacles: str | None = None
    funding_programme: str | None = None
    funding_state: str | None = None
    funding_amount: Decimal | None = Field(default=None, ge=0)
    expected_completion: datetime.date | None = None


class ReturnComment(Schema):
    comment: str


class ApiRoot(Schema):
    title: str
    version: str
    links: dict[str, str]


PlanOut.model_rebuild()
