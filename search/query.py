"""German full-text queries: FTS5 on SQLite, the "german" configuration on PostgreSQL.

Both backends see the same folded text and the same terms (each a prefix, all required),
so they find the same entries; a compound the text does not contain ("Fahrradweg") falls
back to its longest tail that does ("radweg" → "Radwegenetz").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from plans.models import Plan

from .folding import fold, query_terms
from .index import ensure_index
from .models import SearchEntry

MIN_TAIL = 5
# Words PostgreSQL's german configuration ignores; dropped on both backends alike.
STOP_WORDS = {
    "der",
    "die",
    "das",
    "und",
    "oder",
    "in",
    "im",
    "zu",
    "zur",
    "zum",
    "mit",
    "von",
    "vom",
    "fuer",
    "auf",
    "an",
    "am",
    "ein",
    "eine",
    "einer",
    "des",
    "dem",
    "den",
    "bei",
    "als",
}


@dataclass
class Hit:
    """One search result with its highlighted title and text excerpt."""

    entry: SearchEntry
    title: SafeString
    excerpt: SafeString


def _match(plan: Plan, terms: list[str]) -> tuple[str, list[str | int], str]:
    """FROM/WHERE of entries containing every term as a word prefix, params, and a score.

    The score is an SQL expression, lower is better; ties go by the entry's document order.
    """
    if connection.vendor == "sqlite":
        where = (
            "FROM search_fts f JOIN search_searchentry e ON e.id = f.rowid "
            "WHERE search_fts MATCH %s AND e.plan_id = %s"
        )
        score = "bm25(search_fts, 10.0, 1.0)"
        return where, [" AND ".join(f'"{t}"*' for t in terms), plan.pk], score
    # e.document: the weighted "german" tsvector, a generated column with a GIN index.
    where = (
        "FROM search_searchentry e, to_tsquery('german', %s) q "
        "WHERE e.plan_id = %s AND e.document @@ q"
    )
    score = "-ts_rank(e.document, q)"
    return where, [" & ".join(f"{t}:*" for t in terms), plan.pk], score


def _matching_ids(
    plan: Plan, terms: list[str], limit: int | None = None, offset: int = 0, ranked: bool = True
) -> list[int]:
    """Ids of the plan's entries that contain every term as a word prefix, best first."""
    where, params, score = _match(plan, terms)
    sql = f"SELECT e.id {where}" + (f' ORDER BY {score}, e."order"' if ranked else "")
    if limit is not None:
        sql += " LIMIT %s OFFSET %s"
        params = [*params, limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def count_matches(plan: Plan, terms: list[str]) -> int:
    """How many entries contain every term (for the hit count and the pages)."""
    if not terms:
        return 0
    where, params, _score = _match(plan, terms)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {where}", params)
        return cursor.fetchone()[0]


def _occurs(plan: Plan, term: str) -> bool:
    """True if some entry has a word starting with the term."""
    return bool(_matching_ids(plan, [term], limit=1, ranked=False))


def effective_terms(plan: Plan, query: str) -> list[str]:
    """The query's terms; a term found nowhere is replaced by its longest tail found."""
    terms = [t for t in query_terms(query) if t not in STOP_WORDS]
    result = []
    for term in terms:
        chosen = term
        if not _occurs(plan, term):
            for start in range(1, len(term) - MIN_TAIL + 1):
                if _occurs(plan, term[start:]):
                    chosen = term[start:]
                    break
        result.append(chosen)
    return result


class _CharacterFolds(dict[str, str]):
    """Each character's folding, computed once: fold() works character by character."""

    def __missing__(self, character: str) -> str:
        folded = self[character] = fold(character)
        return folded


_FOLDS = _CharacterFolds()


def highlight(text: str, terms: list[str], limit: int | None = None) -> SafeString:
    """HTML-escaped text with each word starting with a term in <mark>; an excerpt if limit."""
    # fold_with_positions, with the loop over the characters in C: a hit page highlights
    # twenty long texts, and the per-character Python loop was most of its time.
    folds = list(map(_FOLDS.__getitem__, text))
    folded = "".join(folds)
    ends = list(accumulate(map(len, folds)))  # ends[i]: folded length up to character i
    spans: list[tuple[int, int]] = []
    if terms:
        pattern = re.compile(r"(?<![0-9a-z])(?:" + "|".join(map(re.escape, terms)) + ")")
        for match in pattern.finditer(folded):
            start = bisect_right(ends, match.start())
            end = bisect_right(ends, match.end() - 1) + 1
            spans.append((start, end))
    begin, finish = 0, len(text)
    if limit and len(text) > limit:
        centre = spans[0][0] if spans else 0
        begin = max(0, centre - limit // 3)
        finish = min(len(text), begin + limit)
    parts = ["…" if begin > 0 else ""]
    cursor = begin
    for start, end in spans:
        if start < cursor or end > finish:
            continue
        parts += [escape(text[cursor:start]), "<mark>", escape(text[start:end]), "</mark>"]
        cursor = end
    parts += [escape(text[cursor:finish]), "…" if finish < len(text) else ""]
    return mark_safe("".join(parts))


def ranked_page(plan: Plan, terms: list[str], limit: int, offset: int) -> tuple[list[int], int]:
    """One page of ranked entry ids and the number of all matches, in one pass over them.

    The count comes with the page's rows (a window over all matches, taken before LIMIT), so
    a large plan's matches are read once, not once to count and once to rank. A page past
    the last has no rows to carry the count: then it is 0.
    """
    if not terms:
        return [], 0
    where, params, score = _match(plan, terms)
    # The score is taken in a subquery: SQLite refuses bm25() beside a window function.
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT id, COUNT(*) OVER () FROM (SELECT e.id AS id, {score} AS score, e."order" '
            f"AS position {where}) AS matches ORDER BY score, position LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        rows = cursor.fetchall()
    return [row[0] for row in rows], (rows[0][1] if rows else 0)


def hits_for(
    plan: Plan, terms: list[str], limit: int, offset: int = 0, ids: list[int] | None = None
) -> list[Hit]:
    """One page of highlighted hits for terms from effective_terms (index up to date).

    ids: the page's entry ids if already known (from ranked_page).
    """
    if ids is None:
        ids = _matching_ids(plan, terms, limit=limit, offset=offset)
    entries = SearchEntry.objects.in_bulk(ids)
    return [
        Hit(
            entry=entries[i],
            title=highlight(entries[i].title, terms),
            excerpt=highlight(entries[i].body, terms, limit=240),
        )
        for i in ids
    ]


def search(plan: Plan, query: str, limit: int = 50) -> tuple[list[str], list[Hit]]:
    """Entries of the plan matching every term of the query, best first, highlighted."""
    ensure_index(plan)
    terms = effective_terms(plan, query)
    if not terms:
        return [], []
    return terms, hits_for(plan, terms, limit)
