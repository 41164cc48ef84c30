"""Keep the search index of a plan: entries written by the catalogue's writes, never by a search.

`update_index` is registered with plans (`SearchConfig.ready`): the import rebuilds the plan's
entries once inside its transaction, a back-office save or a (soft) deletion rewrites the
entries of the changed measures, nodes, organisations or key projects only. The full-text
tables follow the entries by themselves (SQLite: triggers; PostgreSQL: indexes on the columns).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection

from django.db import connection, transaction

from plans.models import KeyProject, Measure, Node, Organisation, Placement, Step
from plans.query_chunks import chunk_size, chunks, create_batch_size
from plans.services import CatalogueChange

from .folding import fold
from .models import SearchEntry

Kind = SearchEntry.Kind
# Tie-breakers between equally good hits: measures in number order, then the hierarchy in
# document order, the key projects, the organisations (by abbreviation, the last tie-breaker).
_NODE_ORDER = 100_000_000
_KEY_PROJECT_ORDER = 200_000_000
_ORGANISATION_ORDER = 300_000_000
_MAX_SEQ = 999_999
_TRAILING_NUMBER = re.compile(r"(\d+)\s*$")


def _entry(
    plan_id: int, kind: str, object_id: int, key: str, title: str, body: str, order: int
) -> SearchEntry:
    return SearchEntry(
        plan_id=plan_id,
        kind=kind,
        object_id=object_id,
        key=key,
        title=title,
        body=body,
        folded_title=fold(title),
        folded_body=fold(body),
        order=order,
    )


def _measure_entries(plan_id: int, ids: Collection[int] | None) -> list[SearchEntry]:
    """Entries of the plan's current measures (of those with ids): number, title, texts."""
    measures = Measure.objects.filter(plan_id=plan_id)
    placements = Placement.objects.filter(plan_id=plan_id)
    steps = Step.objects.filter(placement__plan_id=plan_id)
    if ids is not None:
        measures = measures.filter(pk__in=ids)
        placements = placements.filter(measure_id__in=ids)
        steps = steps.filter(placement__measure_id__in=ids)
    texts: dict[int, list[str]] = defaultdict(list)
    for measure_id, text, title in placements.in_document_order().values_list(
        "measure_id", "text", "title"
    ):
        for value in (text, title):  # the cell's text usually begins with the title
            if value and not any(value in known for known in texts[measure_id]):
                texts[measure_id].append(value)
    for measure_id, text in steps.values_list("placement__measure_id", "text"):
        if not any(text in known for known in texts[measure_id]):
            texts[measure_id].append(text)
    return [
        _entry(
            plan_id,
            Kind.MEASURE,
            m.pk,
            m.number,
            f"{m.number} {m.title}",
            " ".join(texts[m.pk]),
            m.field_part * (_MAX_SEQ + 1) + min(m.seq, _MAX_SEQ),
        )
        for m in measures.only("number", "title", "field_part", "seq")
    ]


def _node_entries(plan_id: int, ids: Collection[int] | None) -> list[SearchEntry]:
    """Entries of the Handlungsfelder, Leitziele and Teilziele (not the approaches)."""
    nodes = Node.objects.filter(plan_id=plan_id, level__lte=3)
    if ids is not None:
        nodes = nodes.filter(pk__in=ids)
    return [
        _entry(
            plan_id,
            Kind.NODE,
            n.pk,
            n.key,
            f"{n.code} {n.label}",
            " ".join([n.text, *n.aliases]),
            _NODE_ORDER + n.order,
        )
        for n in nodes
    ]


def _organisation_entries(plan_id: int, ids: Collection[int] | None) -> list[SearchEntry]:
    organisations = Organisation.objects.filter(plan_id=plan_id)
    if ids is not None:
        organisations = organisations.filter(pk__in=ids)
    return [
        _entry(
            plan_id,
            Kind.ORGANISATION,
            o.pk,
            o.abbreviation,
            o.name if o.name == o.abbreviation else f"{o.name} ({o.abbreviation})",
            " ".join(o.aliases),
            _ORGANISATION_ORDER,
        )
        for o in organisations
    ]


def _key_project_entries(plan_id: int, ids: Collection[int] | None) -> list[SearchEntry]:
    key_projects = KeyProject.objects.filter(plan_id=plan_id)
    if ids is not None:
        key_projects = key_projects.filter(pk__in=ids)
    entries = []
    for k in key_projects:
        number = _TRAILING_NUMBER.search(k.code)
        position = k.field_number * 1000 + (int(number[1]) % 1000 if number else 0)
        title = f"{k.code} {k.name}" if k.name else k.code
        # The other spelling of its code ("SV 2.1" for "SV II.1") and the coordination's text.
        body = " ".join(p for p in (_arabic_code(k.code, k.field_number), k.description) if p)
        entries.append(
            _entry(
                plan_id, Kind.KEY_PROJECT, k.pk, k.code, title, body, _KEY_PROJECT_ORDER + position
            )
        )
    return entries


def _arabic_code(code: str, field_number: int) -> str:
    """ "SV II.1" → "SV 2.1": the document writes both; the index holds both."""
    number = _TRAILING_NUMBER.search(code)
    return f"SV {field_number}.{number[1]}" if number else ""


_BUILDERS = {
    Kind.MEASURE: _measure_entries,
    Kind.NODE: _node_entries,
    Kind.ORGANISATION: _organisation_entries,
    Kind.KEY_PROJECT: _key_project_entries,
}


def _analyze() -> None:
    # Fresh statistics after a rebuild: without them SQLite may drive a search from the entries
    # table and run the full-text match once per row (seconds on a large plan). ANALYZE is not
    # expressible in the ORM.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchentry")


@transaction.atomic(savepoint=False)  # inside the import: no savepoint queries
def rebuild_index(plan_id: int) -> int:
    """Replace all of the plan's search entries (the import); returns their number."""
    SearchEntry.objects.filter(plan_id=plan_id).delete()
    entries = [entry for build in _BUILDERS.values() for entry in build(plan_id, None)]
    SearchEntry.objects.bulk_create(entries, batch_size=min(500, create_batch_size(SearchEntry)))
    _analyze()
    return len(entries)


@transaction.atomic(savepoint=False)
def update_entries(plan_id: int, changed: dict[Kind, Collection[int]]) -> None:
    """Rewrite the entries of the changed objects (kind → ids); gone or deleted ones vanish."""
    changed = {kind: ids for kind, ids in changed.items() if ids}
    if not changed:
        return
    batch_size = min(500, create_batch_size(SearchEntry))
    for kind, ids in changed.items():
        # In chunks: a deletion of many measures must not become one IN list of all of them.
        for chunk in chunks(sorted(ids), max(1, chunk_size() // 3)):
            SearchEntry.objects.filter(plan_id=plan_id, kind=kind, object_id__in=chunk).delete()
            SearchEntry.objects.bulk_create(_BUILDERS[kind](plan_id, chunk), batch_size=batch_size)


def update_index(change: CatalogueChange) -> None:
    """Bring the plan's search index in line with a change of its catalogue."""
    if change.everything:
        rebuild_index(change.plan_id)
        return
    update_entries(
        change.plan_id,
        {
            Kind.MEASURE: change.measure_ids,
            Kind.NODE: change.node_ids,
            Kind.ORGANISATION: change.organisation_ids,
            Kind.KEY_PROJECT: change.key_project_ids,
        },
    )
