"""Organisations ("Wer macht was"), key projects and the interlinking of the fields.

Every page runs a fixed number of queries, whatever the size of the plan: counts and the
measures of an organisation come from the measure facets (`plans.models.MeasureFacet`),
groupings are made in Python from one query each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from monitoring.status_cells import StatusCell, status_cells, with_statuses
from plans.models import (
    KeyProject,
    Measure,
    MeasureFacet,
    Organisation,
    PlacementLead,
    Plan,
)
from portal.caching import public_page
from portal.interlinking import field_labels, interlinking, other_fields
from portal.paging import PAGE_PARAMETER, page_number
from portal.rollup_blocks import Group, rollup_block
from portal.slugs import key_project_slug

KIND_HEADINGS: dict[str, str | Promise] = {
    Organisation.Kind.OFFICE: gettext_lazy("Offices of the district administration"),
    Organisation.Kind.MUNICIPALITY: gettext_lazy("Municipalities"),
    Organisation.Kind.PARTNER: gettext_lazy("Partners"),
}
# Pages that list measures grow with the page, not the plan: 50 measures a page per list.
MEASURES_PER_PAGE = 50
PARTICIPANT_PAGE = "seite_beteiligt"
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX"}
_SORTABLE = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


@dataclass
class FieldGroup:
    """Measures (or other entries) of one Handlungsfeld."""

    number: int
    label: str
    entries: list = field(default_factory=list)

    @property
    def roman(self) -> str:
        """The field's number as the key project codes write it (SV II.1 → "II")."""
        return ROMAN.get(self.number, str(self.number))


def _group_by_field(
    items: Iterable, labels: dict[int, str], number_of=lambda item: item.measure.home_field
) -> list[FieldGroup]:
    """Group items by field number, in field order, keeping the items' order."""
    groups: dict[int, FieldGroup] = {}
    for item in items:
        number = number_of(item)
        if number not in groups:
            groups[number] = FieldGroup(number, labels.get(number, ""))
        groups[number].entries.append(item)
    return [groups[number] for number in sorted(groups)]


def _sort_key(abbreviation: str) -> str:
    return abbreviation.casefold().translate(_SORTABLE)


def _measure_counts(plan: Plan, *facets: str) -> dict[tuple[str, str], int]:
    """(facet, value) → number of measures with that value, e.g. ("lead", "SLR") (one query)."""
    rows = MeasureFacet.objects.filter(plan=plan, facet__in=facets)
    return {
        (facet, value): count
        for facet, value, count in rows.values_list("facet", "value", "measure_count")
    }


@require_safe
@public_page
def organisation_list(request: HttpRequest, plan: Plan) -> HttpResponse:
    """Show all organisations of the plan by kind, glossary first, with their measure counts."""
    lead, participant = MeasureFacet.Facet.LEAD, MeasureFacet.Facet.PARTICIPANT
    counts = _measure_counts(plan, lead, participant)
    organisations = sorted(
        Organisation.objects.filter(plan=plan).order_by(),
        key=lambda o: (not o.in_glossary, _sort_key(o.abbreviation)),
    )
    groups = []
    for kind, heading in KIND_HEADINGS.items():
        rows = [
            (
                organisation,
                counts.get((lead, organisation.abbreviation), 0),
                counts.get((participant, organisation.abbreviation), 0),
            )
            for organisation in organisations
            if organisation.kind == kind
        ]
        if rows:
            groups.append({"kind": kind, "heading": heading, "rows": rows})
    breadcrumbs = [(_("Start"), reverse("portal:start")), (_("Who does what"), None)]
    return render(
        request,
        "portal/organisation_list.html",
        {"plan": plan, "groups": groups, "breadcrumbs": breadcrumbs},
    )


@dataclass
class PagedMeasures:
    """One page of the measures having a facet's value, and the paginator's page."""

    page: Page
    measures: list[Measure]


def _measures_by_facet(
    plan: Plan, facets: dict[str, str | None], value: str
) -> dict[str, PagedMeasures]:
    """Facet → the page (number from the facet's page number) of the measures having the
    value for it, in number order (two queries: only the shown measures are read)."""
    ids = dict(
        MeasureFacet.objects.filter(plan=plan, facet__in=list(facets), value=value).values_list(
            "facet", "measure_ids"
        )
    )
    pages = {
        facet: Paginator(ids.get(facet, []), MEASURES_PER_PAGE).get_page(number)
        for facet, number in facets.items()
    }
    wanted = {pk for page in pages.values() for pk in page.object_list}
    measures = {m.pk: m for m in Measure.objects.filter(pk__in=wanted).order_by()}
    return {
        facet: PagedMeasures(page, [measures[pk] for pk in page.object_list if pk in measures])
        for facet, page in pages.items()
    }


@require_safe
@public_page
def organisation(request: HttpRequest, plan: Plan, abbreviation: str) -> HttpResponse:
    """Show an organisation with the measures it leads and those it takes part in, by field."""
    organisation = (
        Organisation.objects.filter(plan=plan, abbreviation=abbreviation).order_by().first()
    )
    if organisation is None:
        # Another spelling the document uses ("Afs" for "AfS") leads to the organisation.
        for candidate in Organisation.objects.filter(plan=plan):
            if abbreviation in (candidate.aliases or []):
                return redirect("portal:organisation", candidate.abbreviation, permanent=True)
        raise Http404("Unknown organisation")
    labels = field_labels(plan)
    lead, participant = MeasureFacet.Facet.LEAD, MeasureFacet.Facet.PARTICIPANT
    measures = _measures_by_facet(
        plan,
        {lead: page_number(request), participant: page_number(request, PARTICIPANT_PAGE)},
        organisation.abbreviation,
    )
    led = with_statuses(plan, measures[lead].measures)
    taking_part = with_statuses(plan, measures[participant].measures)
    rollup = rollup_block(
        plan,
        "stand",
        [
            Group(lead, organisation.abbreviation, _("as contact")),
            Group(participant, organisation.abbreviation, _("taking part")),
        ],
    )
    breadcrumbs = [
        (_("Start"), reverse("portal:start")),
        (_("Who does what"), reverse("portal:organisation_list")),
        (organisation.abbreviation, None),
    ]
    return render(
        request,
        "portal/organisation.html",
        {
            "plan": plan,
            "organisation": organisation,
            "kind_label": organisation.get_kind_display(),
            "led_count": measures[lead].page.paginator.count,
            "led_page": measures[lead].page,
            "led_groups": _group_by_field(led, labels),
            "taking_part_count": measures[participant].page.paginator.count,
            "taking_part_page": measures[participant].page,
            "taking_part_parameter": PARTICIPANT_PAGE,
            "page_parameter": PAGE_PARAMETER,
            "taking_part_groups": _group_by_field(taking_part, labels),
            "rollup": rollup,
            "field_level": plan.level_name(1),
            "breadcrumbs": breadcrumbs,
        },
    )


@require_safe
@public_page
def key_project_list(request: HttpRequest, plan: Plan) -> HttpResponse:
    """Show the key projects (Schlüsselvorhaben) by field with the number of their measures."""
    counts = _measure_counts(plan, MeasureFacet.Facet.KEY_PROJECT)
    key_projects = [
        {
            "code": code,
            "slug": key_project_slug(code),
            "measures": counts.get((MeasureFacet.Facet.KEY_PROJECT, code), 0),
            "field_number": field_number,
            "name": name,
        }
        for code, field_number, name in KeyProject.objects.filter(plan=plan)
        .order_by("field_number", "code")
        .values_list("code", "field_number", "name")
    ]
    groups = _group_by_field(
        key_projects, field_labels(plan), number_of=lambda item: item["field_number"]
    )
    breadcrumbs = [(_("Start"), reverse("portal:start")), (_("Key projects"), None)]
    return render(
        request,
        "portal/key_project_list.html",
        {
            "plan": plan,
            "groups": groups,
            "field_level": plan.level_name(1),
            "breadcrumbs": breadcrumbs,
        },
    )


@dataclass(frozen=True, slots=True)
class KeyProjectRow:
    """A measure on a key project's page: its link, title, the leads' links and its status."""

    number: str
    url: str
    title: str
    leads: list[tuple[str, str]]  # (abbreviation, URL of the organisation's page)
    status: StatusCell


@require_safe
@public_page
def key_project(request: HttpRequest, plan: Plan, slug: str) -> HttpResponse:
    """Show one key project with the measures that refer to it and their lead organisations."""
    key_project = next(
        (
            kp
            for kp in KeyProject.objects.filter(plan=plan).order_by("field_number", "code")
            if key_project_slug(kp.code) == slug
        ),
        None,
    )
    if key_project is None:
        raise Http404("Unknown key project")
    # The measures of its facet (those its roll-up counts), one page of them read.
    facet = MeasureFacet.Facet.KEY_PROJECT
    paged = _measures_by_facet(plan, {facet: page_number(request)}, key_project.code)[facet]
    page_obj = paged.page
    measures = paged.measures
    # The lead printed in the rows that name the key project.
    leads: dict[int, list[str]] = defaultdict(list)
    for measure_id, abbreviation in (
        PlacementLead.objects.filter(
            placement__key_project_rows__key_project=key_project, placement__measure__in=measures
        )
        .order_by("placement__order", "position")
        .values_list("placement__measure_id", "organisation__abbreviation")
    ):
        if abbreviation not in leads[measure_id]:
            leads[measure_id].append(abbreviation)
    # Links made here, not by a {% url %} per row and lead: half of a row's rendering.
    rows = [
        KeyProjectRow(
            number=item.measure.number,
            url=reverse("portal:measure", args=[item.measure.number]),
            title=item.measure.title,
            leads=[
                (abbreviation, reverse("portal:organisation", args=[abbreviation]))
                for abbreviation in leads.get(item.measure.pk, [])
            ],
            status=item.status,
        )
        for item in with_statuses(plan, measures)
    ]
    labels = field_labels(plan)
    breadcrumbs = [
        (_("Start"), reverse("portal:start")),
        (_("Key projects"), reverse("portal:key_project_list")),
        (key_project.code, None),
    ]
    return render(
        request,
        "portal/key_project.html",
        {
            "plan": plan,
            "key_project": key_project,
            "field_level": plan.level_name(1),
            "field_label": labels.get(key_project.field_number, ""),
            "rows": rows,
            "measure_count": page_obj.paginator.count,
            "page_obj": page_obj,
            "page_parameter": PAGE_PARAMETER,
            "rollup": rollup_block(
                plan,
                "stand",
                [Group(MeasureFacet.Facet.KEY_PROJECT, key_project.code, key_project.code)],
            ),
            "breadcrumbs": breadcrumbs,
        },
    )


def _intensity(count: int, highest: int) -> int:
    """Shade 0–4 of a matrix cell (CSS classes, no inline styles)."""
    if count == 0 or highest == 0:
        return 0
    return max(1, round(4 * count / highest))


@require_safe
@public_page
def interlinks(request: HttpRequest, plan: Plan) -> HttpResponse:
    """Show how the fields interlink: a matrix of measure counts and the list of measures."""
    result = interlinking(plan)
    highest = max((count for row in result.matrix.values() for count in row.values()), default=0)
    labels = dict(result.fields)
    rows = [
        {
            "number": home,
            "label": label,
            "cells": [
                {
                    "number": other,
                    "count": result.matrix[home][other],
                    "diagonal": other == home,
                    "shade": _intensity(result.matrix[home][other], highest),
                }
                for other, _label in result.fields
            ],
            "total": sum(result.matrix[home].values()),
        }
        for home, label in result.fields
    ]
    # The list pages, 50 measures a page: the page grows with the page, not the plan.
    page_obj = Paginator(result.measure_ids, MEASURES_PER_PAGE).get_page(page_number(request))
    by_id = Measure.objects.in_bulk(list(page_obj.object_list))
    shown = [by_id[pk] for pk in page_obj.object_list if pk in by_id]
    cells = status_cells(plan, [measure.pk for measure in shown])
    elsewhere = other_fields(plan, shown)
    measures = [
        {
            "measure": measure,
            "status": cells[measure.pk],
            "home": (measure.home_field, labels.get(measure.home_field, "")),
            "others": [(n, labels.get(n, "")) for n in elsewhere.get(measure.pk, [])],
        }
        for measure in shown
    ]
    breadcrumbs = [(_("Start"), reverse("portal:start")), (_("Interlinkages"), None)]
    return render(
        request,
        "portal/interlinks.html",
        {
            "plan": plan,
            "fields": result.fields,
            "rows": rows,
            "measures": measures,
            "measure_count": page_obj.paginator.count,
            "page_obj": page_obj,
            "page_parameter": PAGE_PARAMETER,
            "field_level": plan.level_name(1),
            "breadcrumbs": breadcrumbs,
        },
    )
