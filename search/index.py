"""Build the search index of a plan (rebuilt whole: a plan has a few hundred pages)."""

from __future__ import annotations

from collections import defaultdict

from django.db import connection, transaction

from plans.models import Measure, Node, Organisation, Placement, Plan, Step

from .folding import fold
from .models import IndexedRevision, SearchEntry


def _entry(plan: Plan, kind: str, key: str, title: str, body: str, order: int) -> SearchEntry:
    return SearchEntry(
        plan=plan,
        kind=kind,
        key=key,
        title=title,
        body=body,
        folded_title=fold(title),
        folded_body=fold(body),
        order=order,
    )


def _measure_entries(plan: Plan) -> list[SearchEntry]:
    texts: dict[int, list[str]] = defaultdict(list)
    for measure_id, text, title in (
        Placement.objects.filter(plan=plan)
        .in_document_order()
        .values_list("measure_id", "text", "title")
    ):
        for value in (text, title):  # the cell's text usually begins with the title
            if value and not any(value in known for known in texts[measure_id]):
                texts[measure_id].append(value)
    for measure_id, text in Step.objects.filter(placement__plan=plan).values_list(
        "placement__measure_id", "text"
    ):
        if text not in texts[measure_id] and not any(text in t for t in texts[measure_id]):
            texts[measure_id].append(text)
    return [
        _entry(
            plan,
            SearchEntry.Kind.MEASURE,
            m.number,
            f"{m.number} {m.title}",
            " ".join(texts[m.pk]),
            index,
        )
        for index, m in enumerate(Measure.objects.filter(plan=plan).in_number_order())
    ]


def _node_entries(plan: Plan) -> list[SearchEntry]:
    nodes = Node.objects.filter(plan=plan, level__lte=3).in_document_order()
    return [
        _entry(
            plan,
            SearchEntry.Kind.NODE,
            n.key,
            f"{n.code} {n.label}",
            " ".join([n.text, *n.aliases]),
            10_000 + index,
        )
        for index, n in enumerate(nodes)
    ]


def _organisation_entries(plan: Plan) -> list[SearchEntry]:
    organisations = Organisation.objects.filter(plan=plan).order_by("abbreviation")
    return [
        _entry(
            plan,
            SearchEntry.Kind.ORGANISATION,
            o.abbreviation,
            o.name if o.name == o.abbreviation else f"{o.name} ({o.abbreviation})",
            " ".join(o.aliases),
            20_000 + index,
        )
        for index, o in enumerate(organisations)
    ]


@transaction.atomic
def rebuild_index(plan: Plan) -> int:
    """Replace the plan's search entries; returns their number."""
    SearchEntry.objects.filter(plan=plan).delete()
    entries = _measure_entries(plan) + _node_entries(plan) + _organisation_entries(plan)
    SearchEntry.objects.bulk_create(entries, batch_size=500)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES('rebuild')")
        # Fresh statistics: without them SQLite may drive the join from the entries table and
        # run the full-text match once per row (seconds on a large plan).
        cursor.execute("ANALYZE search_searchentry")
    IndexedRevision.objects.update_or_create(plan=plan, defaults={"revision": plan.revision})
    return len(entries)


def ensure_index(plan: Plan) -> None:
    """Rebuild the plan's index if the catalogue changed since it was built."""
    indexed = IndexedRevision.objects.filter(plan=plan).values_list("revision", flat=True).first()
    if indexed != plan.revision:
        rebuild_index(plan)
