"""DCAT-AP.de description of the open data: one catalogue, one dataset per kind of file.

The graph is built once as JSON-LD (`catalog`); the Turtle form is rdflib's serialisation of
that same JSON-LD (`turtle`), so both always describe the same triples. Rules that GovData's
DCAT-AP.de shapes check are asserted over the parsed graph in `tests/test_dcat.py`.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from rdflib import Graph

from monitoring.reads import published_span
from plans.models import Plan

FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
LANGUAGE_GERMAN = "http://publications.europa.eu/resource/authority/language/DEU"
THEME_TAXONOMY = "http://publications.europa.eu/resource/authority/data-theme"
THEME_GOVERNMENT = f"{THEME_TAXONOMY}/GOVE"
GEOCODING_LEVEL = "http://dcat-ap.de/def/politicalGeocoding/Level/administrativeDistrict"

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatde": "http://dcat-ap.de/def/dcatde/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

# Media types of the files as registered at IANA (dcat:mediaType must name a registered one);
# JSON Schema's application/schema+json is not registered, so it is described as JSON.
REGISTERED_MEDIA_TYPES = {
    "text/csv",
    "application/json",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class Offered(Protocol):
    """A file of the open-data page as `portal.views.open_data.downloads` lists it."""

    @property
    def filename(self) -> str: ...

    @property
    def format(self) -> str: ...

    @property
    def media_type(self) -> str: ...

    @property
    def title(self) -> str: ...


@dataclass(frozen=True)
class DatasetKind:
    """One dataset of the catalogue: which files belong to it and what it is."""

    suffix: str  # the fragment after the plan's slug: "", "-umsetzungsstand", "-berichte"
    title: str
    description: str
    keywords: tuple[str, ...]


def _kinds(plan: Plan) -> list[DatasetKind]:
    common = (_("county development concept"), _("measures"), settings.KEK_PUBLISHER)
    monitoring = (_("monitoring"), _("implementation status"))
    return [
        DatasetKind(
            "",
            plan.title,
            _(
                "Measures of the county development concept with their position in the plan, "
                "contact, participants, priority and key projects, as published by the county."
            ),
            (*common, _("regional development")),
        ),
        DatasetKind(
            "-umsetzungsstand",
            _("%(plan)s: implementation status of the measures") % {"plan": plan.title},
            _(
                "Every measure of the county development concept with its lead, participants, "
                "priority, key projects and its current implementation status from the newest "
                "published status report: status, progress, reporting round and reporting date."
            ),
            (*common, *monitoring),
        ),
        DatasetKind(
            "-berichte",
            _("%(plan)s: published status reports") % {"plan": plan.title},
            _(
                "Every published status report of every reporting round on the measures of the "
                "county development concept: status, progress, current state and next steps."
            ),
            (*common, *monitoring, _("status report")),
        ),
    ]


def _kind_of(plan: Plan, filename: str, kinds: Sequence[DatasetKind]) -> DatasetKind:
    """The dataset a file belongs to: by its name, the plain measures dataset by default."""
    for kind in kinds:
        if kind.suffix and filename.startswith(f"{plan.slug}{kind.suffix}"):
            return kind
    return kinds[0]


def _text(value: str) -> dict[str, str]:
    return {"@value": value, "@language": "de"}


def _when(moment: datetime.datetime) -> dict[str, str]:
    return {"@value": moment.isoformat(), "@type": "xsd:dateTime"}


def _media_type(media_type: str) -> str:
    if media_type not in REGISTERED_MEDIA_TYPES and media_type.endswith("+json"):
        media_type = "application/json"
    return MEDIA_TYPE + media_type


def catalog(request: HttpRequest, plan: Plan, offered: Sequence[Offered]) -> dict[str, Any]:
    """The catalogue as JSON-LD with absolute URLs: a dataset per kind of file."""
    publisher = {"@type": "foaf:Agent", "foaf:name": settings.KEK_PUBLISHER}
    contact = {
        "@type": "vcard:Organization",
        "vcard:fn": settings.KEK_PUBLISHER,
        "vcard:hasEmail": {"@id": f"mailto:{settings.KEK_CONTACT_EMAIL}"},
    }
    licence = {"@id": settings.KEK_DATA_LICENSE_DCAT}
    page_url = request.build_absolute_uri(reverse("portal:open_data"))
    # The measures change with the plan; statuses and reports also with each publication.
    first_report, last_report = published_span(plan)
    issued = plan.imported_at
    modified = max(plan.imported_at, last_report or plan.imported_at)
    dates = {
        "": (issued, plan.imported_at),
        "-umsetzungsstand": (issued, modified),
        "-berichte": (first_report or issued, last_report or issued),
    }
    kinds = _kinds(plan)
    distributions: dict[str, list[dict[str, Any]]] = {kind.suffix: [] for kind in kinds}
    for file in offered:
        kind = _kind_of(plan, file.filename, kinds)
        url = request.build_absolute_uri(reverse("portal:download", args=[file.filename]))
        distributions[kind.suffix].append(
            {
                "@id": url,
                "@type": "dcat:Distribution",
                "dct:title": _text(f"{file.title} ({file.format})"),
                "dcat:accessURL": {"@id": page_url},
                "dcat:downloadURL": {"@id": url},
                "dct:format": {"@id": FILE_TYPE + file.format},
                "dcat:mediaType": {"@id": _media_type(file.media_type)},
                "dct:license": licence,
                "dcatde:licenseAttributionByText": _text(settings.KEK_PUBLISHER),
                "dct:issued": _when(dates[kind.suffix][0]),
                "dct:modified": _when(dates[kind.suffix][1]),
            }
        )
    datasets = [
        {
            "@id": f"{page_url}#{plan.slug}{kind.suffix}",
            "@type": "dcat:Dataset",
            "dct:title": _text(kind.title),
            "dct:description": _text(kind.description),
            "dcat:keyword": [_text(keyword) for keyword in kind.keywords],
            "dct:publisher": publisher,
            "dcat:contactPoint": contact,
            "dct:license": licence,
            "dct:issued": _when(dates[kind.suffix][0]),
            "dct:modified": _when(dates[kind.suffix][1]),
            "dct:language": {"@id": LANGUAGE_GERMAN},
            "dcat:theme": {"@id": THEME_GOVERNMENT},
            "dcat:landingPage": {"@id": page_url},
            "dcatde:contributorID": {"@id": settings.KEK_DCAT_CONTRIBUTOR_ID},
            "dcatde:politicalGeocodingLevelURI": {"@id": GEOCODING_LEVEL},
            "dcatde:politicalGeocodingURI": {"@id": settings.KEK_DCAT_GEOCODING_URI},
            "dcat:distribution": distributions[kind.suffix],
        }
        for kind in kinds
        if distributions[kind.suffix]
    ]
    return {
        "@context": CONTEXT,
        "@id": request.build_absolute_uri(reverse("portal:dcat")),
        "@type": "dcat:Catalog",
        "dct:title": _text(_("Open data of the KEK-Monitor")),
        "dct:description": _text(
            _(
                "Measures of the county development concept, their current implementation "
                "status and every published status report, as published by the county."
            )
        ),
        "dct:publisher": publisher,
        "dct:license": licence,
        "dct:issued": _when(issued),
        "dct:modified": _when(modified),
        "dct:language": {"@id": LANGUAGE_GERMAN},
        "dcat:themeTaxonomy": {"@id": THEME_TAXONOMY},
        "foaf:homepage": {"@id": request.build_absolute_uri(reverse("portal:start"))},
        "dcat:dataset": datasets,
    }


def graph(document: dict[str, Any]) -> Graph:
    """The RDF graph of the JSON-LD document (its context is inline: nothing is fetched)."""
    parsed = Graph()
    parsed.parse(data=json.dumps(document), format="json-ld")
    for prefix, namespace in CONTEXT.items():
        parsed.bind(prefix, namespace)
    return parsed


def turtle(document: dict[str, Any]) -> bytes:
    """The same graph as Turtle (UTF-8)."""
    return graph(document).serialize(format="turtle", encoding="utf-8")
