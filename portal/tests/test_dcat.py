"""The DCAT-AP.de metadata (/daten/dcat, /daten/dcat.ttl) keeps the rules of the DCAT-AP.de shapes.

No package ships GovData's SHACL shapes (PyPI and npm were searched: dcat-ap-de-validator only
checks portals over the network, ckanext-dcat ships no shapes), so their key rules for
Catalog, Dataset and Distribution are asserted here over the rdflib graph: mandatory properties,
cardinalities, datatypes and the controlled vocabularies (EU file types, data themes and
languages, DCAT-AP.de licences, contributor IDs and geocoding levels).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from monitoring.models import StatusReport
from monitoring.tests.factories import World, build_world

DCATDE = "http://dcat-ap.de/def/dcatde/"
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
# Codes of the EU file-type authority table (excerpt: the formats open data is offered in).
FILE_TYPES = {
    f"http://publications.europa.eu/resource/authority/file-type/{code}"
    for code in (
        *["CSV", "JSON", "XLSX", "XLS", "ODS", "XML", "PDF", "HTML", "ZIP", "TXT"],
        *["RDF_TURTLE", "RDF_XML", "JSON_LD", "GEOJSON"],
    )
}
DATA_THEMES = {
    f"http://publications.europa.eu/resource/authority/data-theme/{code}"
    for code in [
        "AGRI",
        "ECON",
        "EDUC",
        "ENER",
        "ENVI",
        "GOVE",
        "HEAL",
        "INTR",
        "JUST",
        "OP_DATPRO",
        "REGI",
        "SOCI",
        "TECH",
        "TRAN",
    ]
}
LANGUAGES = "http://publications.europa.eu/resource/authority/language/"
# The licence URIs of the DCAT-AP.de vocabulary http://dcat-ap.de/def/licenses/ (excerpt).
LICENCES = {
    f"http://dcat-ap.de/def/licenses/{name}"
    for name in [
        "dl-by-de/2.0",
        "dl-zero-de/2.0",
        "cc-by/4.0",
        "cc-by-sa/4.0",
        "cc-zero",
        "odbl",
        "other-open",
    ]
}
CONTRIBUTORS = "http://dcat-ap.de/def/contributors/"
GEOCODING_LEVELS = {
    f"http://dcat-ap.de/def/politicalGeocoding/Level/{level}"
    for level in ["federal", "state", "administrativeDistrict", "municipality"]
}
IANA = "https://www.iana.org/assignments/media-types/"
DATES = {XSD.date, XSD.dateTime, XSD.gYear, XSD.gYearMonth}


def _one(graph: Graph, subject: Any, predicate: URIRef, problems: list[str], name: str) -> Any:
    """The one value of a mandatory single-valued property (a problem if none or several)."""
    values = list(graph.objects(subject, predicate))
    if len(values) != 1:
        problems.append(f"{name} {subject}: {predicate} has {len(values)} values, expects 1")
        return None
    return values[0]


def _at_most_one(graph: Graph, subject: Any, predicate: URIRef, problems: list[str]) -> Any:
    values = list(graph.objects(subject, predicate))
    if len(values) > 1:
        problems.append(f"{subject}: {predicate} has {len(values)} values, at most 1")
    return values[0] if values else None


def _text(value: Any, problems: list[str], where: str) -> None:
    if not isinstance(value, Literal) or not str(value).strip():
        problems.append(f"{where}: expects a non-empty literal, got {value!r}")


def _iri(value: Any, problems: list[str], where: str, *, prefix: str = "", among: Any = None):
    if value is None:  # a missing mandatory value is reported by `_one`
        return
    if not isinstance(value, URIRef):
        problems.append(f"{where}: expects an IRI, got {value!r}")
    elif among is not None and str(value) not in among:
        problems.append(f"{where}: {value} is not in the controlled vocabulary")
    elif prefix and not str(value).startswith(prefix):
        problems.append(f"{where}: {value} does not start with {prefix}")


def _dates(graph: Graph, subject: Any, problems: list[str]) -> None:
    for predicate in (DCTERMS.issued, DCTERMS.modified):
        value = _at_most_one(graph, subject, predicate, problems)
        if value is not None and getattr(value, "datatype", None) not in DATES:
            problems.append(f"{subject}: {predicate} is not an xsd date or dateTime: {value!r}")


def _agent(graph: Graph, subject: Any, problems: list[str]) -> None:
    publisher = _one(graph, subject, DCTERMS.publisher, problems, "publisher of")
    if publisher is not None:
        if (publisher, RDF.type, FOAF.Agent) not in graph:
            problems.append(f"{subject}: publisher is no foaf:Agent")
        _text(_one(graph, publisher, FOAF.name, problems, "agent"), problems, "foaf:name")


def shape_violations(graph: Graph) -> list[str]:
    """The violations of the DCAT-AP.de shapes' key rules found in the graph."""
    problems: list[str] = []
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    if len(catalogs) != 1:
        problems.append(f"{len(catalogs)} catalogues, expects 1")
    for catalog in catalogs:
        for predicate in (DCTERMS.title, DCTERMS.description):
            _text(_one(graph, catalog, predicate, problems, "catalogue"), problems, str(predicate))
        _agent(graph, catalog, problems)
        _dates(graph, catalog, problems)
        if not list(graph.objects(catalog, DCAT.dataset)):
            problems.append("the catalogue has no dcat:dataset")
        for language in graph.objects(catalog, DCTERMS.language):
            _iri(language, problems, "catalogue dct:language", prefix=LANGUAGES)
        for licence in graph.objects(catalog, DCTERMS.license):
            _iri(licence, problems, "catalogue dct:license", among=LICENCES)
    for dataset in graph.subjects(RDF.type, DCAT.Dataset):
        where = f"dataset {dataset}"
        for predicate in (DCTERMS.title, DCTERMS.description):
            _text(_one(graph, dataset, predicate, problems, "dataset"), problems, str(predicate))
        contributor = _one(graph, dataset, URIRef(DCATDE + "contributorID"), problems, "dataset")
        _iri(contributor, problems, f"{where} contributorID", prefix=CONTRIBUTORS)
        _agent(graph, dataset, problems)
        _dates(graph, dataset, problems)
        for theme in graph.objects(dataset, DCAT.theme):
            _iri(theme, problems, f"{where} dcat:theme", among=DATA_THEMES)
        for keyword in graph.objects(dataset, DCAT.keyword):
            _text(keyword, problems, f"{where} dcat:keyword")
        for language in graph.objects(dataset, DCTERMS.language):
            _iri(language, problems, f"{where} dct:language", prefix=LANGUAGES)
        for licence in graph.objects(dataset, DCTERMS.license):
            _iri(licence, problems, f"{where} dct:license", among=LICENCES)
        for level in graph.objects(dataset, URIRef(DCATDE + "politicalGeocodingLevelURI")):
            _iri(level, problems, f"{where} geocoding level", among=GEOCODING_LEVELS)
        for contact in graph.objects(dataset, DCAT.contactPoint):
            _text(_one(graph, contact, VCARD.fn, problems, "contact"), problems, "vcard:fn")
            for email in graph.objects(contact, VCARD.hasEmail):
                _iri(email, problems, f"{where} vcard:hasEmail", prefix="mailto:")
        for landing_page in graph.objects(dataset, DCAT.landingPage):
            _iri(landing_page, problems, f"{where} dcat:landingPage")
        for distribution in graph.objects(dataset, DCAT.distribution):
            if (distribution, RDF.type, DCAT.Distribution) not in graph:
                problems.append(f"{distribution} is no dcat:Distribution")
    for distribution in graph.subjects(RDF.type, DCAT.Distribution):
        where = f"distribution {distribution}"
        access = list(graph.objects(distribution, DCAT.accessURL))
        if not access:
            problems.append(f"{where}: no dcat:accessURL")
        for url in [*access, *graph.objects(distribution, DCAT.downloadURL)]:
            _iri(url, problems, f"{where} URL")
        licence = _one(graph, distribution, DCTERMS.license, problems, "distribution")
        _iri(licence, problems, f"{where} dct:license", among=LICENCES)
        file_type = _at_most_one(graph, distribution, DCTERMS["format"], problems)
        if file_type is not None:
            _iri(file_type, problems, f"{where} dct:format", among=FILE_TYPES)
        media_type = _at_most_one(graph, distribution, DCAT.mediaType, problems)
        if media_type is not None:
            _iri(media_type, problems, f"{where} dcat:mediaType", prefix=IANA)
        for title in graph.objects(distribution, DCTERMS.title):
            _text(title, problems, f"{where} dct:title")
        _dates(graph, distribution, problems)
    return problems


@pytest.fixture
def world(db: Any, settings: Any) -> World:
    """A small plan served by the portal, with one published report."""
    world = build_world()
    settings.KEK_PLAN_SLUG = world.plan.slug
    world.report(StatusReport.State.PUBLISHED)
    cache.clear()
    return world


def _graphs(client: Any) -> tuple[Graph, Graph]:
    json_ld = client.get("/daten/dcat")
    ttl = client.get("/daten/dcat.ttl")
    assert ttl.status_code == 200
    assert ttl["Content-Type"] == "text/turtle; charset=utf-8"
    from_json = Graph().parse(data=json_ld.content, format="json-ld")
    from_ttl = Graph().parse(data=ttl.content, format="turtle")
    return from_json, from_ttl


def test_json_ld_and_turtle_are_the_same_graph_and_keep_the_shapes_rules(client, world):
    from_json, from_ttl = _graphs(client)

    assert len(from_json) > 100
    assert isomorphic(from_json, from_ttl)
    assert shape_violations(from_ttl) == []


def test_the_rules_find_what_govdata_would_refuse(client, world):
    graph, _ = _graphs(client)
    distribution = next(graph.subjects(RDF.type, DCAT.Distribution))
    dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
    graph.remove((distribution, DCTERMS.license, None))
    graph.set((distribution, DCTERMS["format"], URIRef("http://example.org/CSV")))
    graph.set((dataset, DCAT.theme, URIRef("http://example.org/theme")))
    graph.set((dataset, DCTERMS.modified, Literal("gestern")))

    problems = shape_violations(graph)

    assert len(problems) == 4, problems
    assert f"distribution {distribution}: {DCTERMS.license} has 0 values, expects 1" in problems


def test_every_file_is_a_distribution_of_its_dataset(client, world):
    catalog = json.loads(client.get("/daten/dcat").content)
    datasets = {d["@id"]: d for d in catalog["dcat:dataset"]}

    def files(fragment: str) -> list[str]:
        distributions = datasets[f"http://testserver/daten/#{fragment}"]["dcat:distribution"]
        return [d["dcat:downloadURL"]["@id"].rsplit("/", 1)[1] for d in distributions]

    assert list(datasets) == [
        "http://testserver/daten/#kek-test",
        "http://testserver/daten/#kek-test-umsetzungsstand",
        "http://testserver/daten/#kek-test-berichte",
    ]
    assert files("kek-test") == [
        "kek-test-massnahmen.csv",
        "kek-test-massnahmen.json",
        "kek-test-massnahmen.xlsx",
        "kek-test-plan.json",
        "plan.schema.json",
    ]
    assert files("kek-test-umsetzungsstand") == [
        "kek-test-umsetzungsstand.csv",
        "kek-test-umsetzungsstand-excel.csv",
        "kek-test-umsetzungsstand.json",
        "kek-test-umsetzungsstand.xlsx",
    ]
    assert files("kek-test-berichte") == [
        "kek-test-berichte.csv",
        "kek-test-berichte-excel.csv",
        "kek-test-berichte.json",
        "kek-test-berichte.xlsx",
    ]


def test_datasets_carry_dates_keywords_and_a_contact_point(client, world, settings):
    settings.KEK_CONTACT_EMAIL = "kreisentwicklung@landkreis.example"
    published = StatusReport.objects.get(state=StatusReport.State.PUBLISHED).published_at
    catalog = json.loads(client.get("/daten/dcat").content)
    measures, statuses, reports = catalog["dcat:dataset"]

    assert measures["dct:issued"]["@value"] == world.plan.imported_at.isoformat()
    assert measures["dct:modified"]["@value"] == world.plan.imported_at.isoformat()
    # Statuses and reports change with each publication.
    assert published > world.plan.imported_at
    assert statuses["dct:modified"]["@value"] == published.isoformat()
    assert reports["dct:issued"]["@value"] == published.isoformat()
    assert reports["dct:modified"]["@value"] == published.isoformat()
    assert catalog["dct:modified"]["@value"] == published.isoformat()
    assert reports["dcat:distribution"][0]["dct:modified"]["@value"] == published.isoformat()
    keywords = {k["@value"] for k in statuses["dcat:keyword"]}
    assert {"Kreisentwicklungskonzept", "Umsetzungsstand", "Monitoring"} <= keywords
    assert "Statusbericht" in {k["@value"] for k in reports["dcat:keyword"]}
    assert reports["dct:title"]["@value"].endswith("veröffentlichte Statusberichte")
    assert reports["dcat:contactPoint"] == {
        "@type": "vcard:Organization",
        "vcard:fn": "Landkreis Leipzig",
        "vcard:hasEmail": {"@id": "mailto:kreisentwicklung@landkreis.example"},
    }


def test_contributor_id_and_geocoding_come_from_the_settings(client, world, settings):
    settings.KEK_DCAT_CONTRIBUTOR_ID = "http://dcat-ap.de/def/contributors/transparenzportalX"
    graph = Graph().parse(data=client.get("/daten/dcat.ttl").content, format="turtle")

    contributors = set(graph.objects(None, URIRef(DCATDE + "contributorID")))
    assert contributors == {URIRef("http://dcat-ap.de/def/contributors/transparenzportalX")}
    geocoding = set(graph.objects(None, URIRef(DCATDE + "politicalGeocodingURI")))
    assert geocoding == {URIRef("http://dcat-ap.de/def/politicalGeocoding/districtKey/14729")}


def test_without_published_reports_the_dates_are_the_plans(client, db, settings):
    world = build_world()
    settings.KEK_PLAN_SLUG = world.plan.slug
    cache.clear()
    graph = Graph().parse(data=client.get("/daten/dcat.ttl").content, format="turtle")

    modified = {str(value) for value in graph.objects(None, DCTERMS.modified)}
    assert modified == {world.plan.imported_at.isoformat()}
    assert shape_violations(graph) == []
