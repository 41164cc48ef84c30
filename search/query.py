"""German full-text queries over the folded index: FTS5 on SQLite, pg_trgm on PostgreSQL.

A term of three or more letters is found anywhere in a word ("strasse" in
"kreisstrassenkonzept"; without its final "e" or "en" too, as German compounds drop it:
"brache" → "brachflaechenkataster"), a shorter one at the start of a word; all terms are
required. Hits are ranked the same on both databases: per term, a whole word in the title
beats a word beginning there, then the same in the text, then a part of a word in the title,
then in the text; ties go by number and document order. A measure number ("2-84", "2 84") or
key project code ("SV II.1", "SV 2.1", "SVII.1") in the query puts its page first. A term
found nowhere is replaced by its longest tail that is ("fahrradweg" → "radweg").

The SQL is written out (one function per backend) because the ORM cannot say FTS5 MATCH.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from plans.models import Plan

from .folding import FOLDS, fold, query_terms
from .models import SearchEntry

MIN_TAIL = 5
MIN_INSIDE = 3  # shorter terms only match the start of a word (trigrams need three letters)
MIN_STEM = 4
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
_DASHES = r"\-‐‑‒–—−"
MEASURE_NUMBER = re.compile(rf"(?<![\w.])(\d{{1,2}})\s*[\s{_DASHES}]\s*(\d{{1,6}})(?![\w.])")
KEY_PROJECT_CODE = re.compile(
    r"(?<![0-9a-z])sv\s*(?:(?P<roman>iii|ii|iv|i|v)|(?P<digit>\d))\s*[.\s]\s*(?P<number>\d+)\b"
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}

# A value bound to a placeholder of the search SQL.
Param = str | int


@dataclass
class Hit:
    """One search result with its highlighted title and text excerpt."""

    entry: SearchEntry
    title: SafeString
    excerpt: SafeString


@dataclass
class SearchQuery:
    """What to look for: the folded terms and the entries the query names directly."""

    terms: list[str]
    direct_ids: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.terms or self.direct_ids)


def variants(term: str) -> list[str]:
    """What a term matches inside a word: itself and, as compounds drop it, its stem without
    a final "en" or "e" ("brache" in "brachflaechen")."""
    for ending in ("en", "e"):
        if term.endswith(ending) and len(term) - len(ending) >= MIN_STEM:
            return [term, term[: -len(ending)]]
    return [term]


def _key_project_parts(text: str) -> tuple[int, int] | None:
    match = KEY_PROJECT_CODE.search(fold(text))
    if match is None:
        return None
    field_number = _ROMAN[match["roman"]] if match["roman"] else int(match["digit"])
    return field_number, int(match["number"])


def _direct_ids(plan: Plan, query: str) -> list[int]:
    """Entries the query names by measure number or key project code, in the query's order."""
    numbers = [f"{a}-{b}" for a, b in MEASURE_NUMBER.findall(query)]
    found: dict[str, int] = {}
    if numbers:
        found = dict(
            SearchEntry.objects.filter(
                plan=plan, kind=SearchEntry.Kind.MEASURE, key__in=numbers
            ).values_list("key", "id")
        )
    ids = [found[number] for number in numbers if number in found]
    wanted = _key_project_parts(query)
    if wanted:
        ids += [
            pk
            for pk, code in SearchEntry.objects.filter(
                plan=plan, kind=SearchEntry.Kind.KEY_PROJECT
            ).values_list("id", "key")
            if _key_project_parts(code) == wanted
        ]
    return list(dict.fromkeys(ids))


def _sqlite_match(
    plan: Plan, query: SearchQuery
) -> tuple[str, Sequence[Param], str, Sequence[Param]]:
    """WHERE and score of the query on SQLite: the FTS5 tables search_trigrams and search_words."""
    long = [t for t in query.terms if len(t) >= MIN_INSIDE]
    short = [t for t in query.terms if len(t) < MIN_INSIDE]
    conditions, params = [], []
    if long:
        conditions.append(
            "e.id IN (SELECT rowid FROM search_trigrams WHERE search_trigrams MATCH %s)"
        )
        params.append(
            " AND ".join("(" + " OR ".join(f'"{v}"' for v in variants(t)) + ")" for t in long)
        )
    if short:
        conditions.append("e.id IN (SELECT rowid FROM search_words WHERE search_words MATCH %s)")
        params.append(" AND ".join(f'"{t}"*' for t in short))
    words = "e.id IN (SELECT rowid FROM search_words WHERE search_words MATCH %s)"
    tiers, score_params = [], []
    for term in query.terms:
        inside = variants(term)
        tiers.append(
            f"CASE WHEN {words} THEN 0 WHEN {words} THEN 1 WHEN {words} THEN 2 "
            f"WHEN {words} THEN 3 WHEN "
            + " OR ".join("instr(e.folded_title, %s) > 0" for _ in inside)
            + " THEN 4 ELSE 5 END"
        )
        score_params += [
            f'folded_title : "{term}"',
            f'folded_title : "{term}"*',
            f'folded_body : "{term}"',
            f'folded_body : "{term}"*',
            *inside,
        ]
    return _where(plan, query, conditions, params, tiers, score_params)


def _postgresql_match(
    plan: Plan, query: SearchQuery
) -> tuple[str, Sequence[Param], str, Sequence[Param]]:
    """WHERE and score of the query on PostgreSQL: LIKE on pg_trgm indexes, word regexes."""
    conditions, params = [], []
    for term in query.terms:
        if len(term) >= MIN_INSIDE:
            inside = variants(term)
            conditions.append(
                "("
                + " OR ".join("e.folded_title LIKE %s OR e.folded_body LIKE %s" for _ in inside)
                + ")"
            )
            params += [f"%{v}%" for v in inside for _ in range(2)]
        else:
            conditions.append(r"(e.folded_title ~ %s OR e.folded_body ~ %s)")
            params += [rf"\m{term}"] * 2
    tiers, score_params = [], []
    for term in query.terms:
        inside = variants(term)
        tiers.append(
            "CASE WHEN e.folded_title ~ %s THEN 0 WHEN e.folded_title ~ %s THEN 1 "
            "WHEN e.folded_body ~ %s THEN 2 WHEN e.folded_body ~ %s THEN 3 WHEN "
            + " OR ".join("strpos(e.folded_title, %s) > 0" for _ in inside)
            + " THEN 4 ELSE 5 END"
        )
        score_params += [rf"\m{term}\M", rf"\m{term}", rf"\m{term}\M", rf"\m{term}", *inside]
    return _where(plan, query, conditions, params, tiers, score_params)


def _where(
    plan: Plan,
    query: SearchQuery,
    conditions: list[str],
    params: Sequence[Param],
    tiers: list[str],
    score_params: Sequence[Param],
) -> tuple[str, Sequence[Param], str, Sequence[Param]]:
    """FROM/WHERE of the matching entries (all terms, or named directly) and their score."""
    direct = ", ".join(["%s"] * len(query.direct_ids))
    where = "FROM search_searchentry e WHERE e.plan_id = %s AND "
    if not conditions:  # only named entries: looked up by id, no scan of the plan's entries
        where += f"e.id IN ({direct})"
    elif direct:
        where += f"({' AND '.join(conditions)} OR e.id IN ({direct}))"
    else:
        where += " AND ".join(conditions)
    score = " + ".join(tiers) if tiers else "0"
    if direct:  # named entries first
        score = f"CASE WHEN e.id IN ({direct}) THEN -1 ELSE {score} END"
        score_params = [*query.direct_ids, *score_params]
    return where, [plan.pk, *params, *query.direct_ids], score, score_params


def _match(plan: Plan, query: SearchQuery) -> tuple[str, Sequence[Param], str, Sequence[Param]]:
    """FROM/WHERE with its params, and the score (lower is better) with its params."""
    if connection.vendor == "sqlite":
        return _sqlite_match(plan, query)
    return _postgresql_match(plan, query)


def _matching_ids(
    plan: Plan, query: SearchQuery, limit: int | None = None, offset: int = 0
) -> list[int]:
    """Ids of the plan's entries matching the query, best first."""
    ids, _total = _ranked(plan, query, limit, offset)
    return ids


def _ranked(
    plan: Plan, query: SearchQuery, limit: int | None, offset: int
) -> tuple[list[int], int]:
    if not query:
        return [], 0
    where, params, score, score_params = _match(plan, query)
    # The score is computed in a subquery and sorted outside, with the count of all matches
    # taken before LIMIT: one pass over the matches gives the page and the total.
    sql = (
        f"SELECT id, COUNT(*) OVER () FROM (SELECT e.id AS id, {score} AS score, "
        f'e."order" AS position, e.key AS entry_key {where}) AS matches '
        "ORDER BY score, position, entry_key"
    )
    params = [*score_params, *params]
    if limit is not None:
        sql += " LIMIT %s OFFSET %s"
        params += [limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [row[0] for row in rows], (rows[0][1] if rows else 0)


def count_matches(plan: Plan, query: SearchQuery) -> int:
    """How many entries match the query (for the hit count and the pages)."""
    if not query:
        return 0
    where, params, _score, _score_params = _match(plan, query)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {where}", params)
        return cursor.fetchone()[0]


def _occurs(plan: Plan, term: str) -> bool:
    """True if some entry contains the term (or, if short, has a word starting with it)."""
    where, params, _score, _score_params = _match(plan, SearchQuery([term]))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 {where} LIMIT 1", params)
        return cursor.fetchone() is not None


def _starts_a_word(plan: Plan, tail: str) -> bool:
    """True if some entry has a word starting with tail (the head of a compound in the text)."""
    if connection.vendor == "sqlite":
        sql = (
            "SELECT 1 FROM search_searchentry e WHERE e.plan_id = %s AND e.id IN "
            "(SELECT rowid FROM search_words WHERE search_words MATCH %s) LIMIT 1"
        )
        params: list[Param] = [plan.pk, f'"{tail}"*']
    else:
        sql = (
            "SELECT 1 FROM search_searchentry e WHERE e.plan_id = %s "
            "AND (e.folded_title ~ %s OR e.folded_body ~ %s) LIMIT 1"
        )
        params = [plan.pk, rf"\m{tail}", rf"\m{tail}"]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


def parse_query(plan: Plan, query: str) -> SearchQuery:
    """The query's terms and the entries it names by number or code.

    A query that only names a measure or key project finds just its page. A term found
    nowhere is replaced by its longest tail that begins a word somewhere
    ("fahrradweg" → "radweg" of "Radwegenetz"); a tail found only inside words would mostly be
    noise ("ortsumgehung" → "ehung" of "Erhöhung").
    """
    direct_ids = _direct_ids(plan, query)
    rest = KEY_PROJECT_CODE.sub(" ", fold(MEASURE_NUMBER.sub(" ", query)))
    if direct_ids and not [t for t in query_terms(rest) if t not in STOP_WORDS]:
        # Only a number or code: its page, not every text with a word starting "2" and "84".
        return SearchQuery(terms=[], direct_ids=direct_ids)
    terms = []
    for term in (t for t in query_terms(query) if t not in STOP_WORDS):
        chosen = term
        if not _occurs(plan, term):
            for start in range(1, len(term) - MIN_TAIL + 1):
                if _starts_a_word(plan, term[start:]):
                    chosen = term[start:]
                    break
        terms.append(chosen)
    return SearchQuery(terms=terms, direct_ids=direct_ids)


def highlight(text: str, terms: list[str], limit: int | None = None) -> SafeString:
    """HTML-escaped text with each match of a term in <mark>; an excerpt if limit.

    A term of three letters or more is marked inside words too (with its stem), a shorter one
    at the start of a word, as the search matches them.
    """
    # fold_with_positions, with the loop over the characters in C: a hit page highlights
    # twenty long texts, and the per-character Python loop was most of its time.
    folds = [FOLDS[code] for code in map(ord, text)]
    folded = "".join(folds)
    ends = list(accumulate(map(len, folds)))  # ends[i]: folded length up to character i
    spans: list[tuple[int, int]] = []
    inside = sorted(
        {v for t in terms if len(t) >= MIN_INSIDE for v in variants(t)}, key=len, reverse=True
    )
    starts = [t for t in terms if len(t) < MIN_INSIDE]
    alternatives = [*map(re.escape, inside)]
    if starts:
        alternatives.append(r"(?<![0-9a-z])(?:" + "|".join(map(re.escape, starts)) + ")")
    if alternatives:
        for match in re.finditer("|".join(alternatives), folded):
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


def ranked_page(plan: Plan, query: SearchQuery, limit: int, offset: int) -> tuple[list[int], int]:
    """One page of ranked entry ids and the number of all matches, in one pass over them.

    A page past the last has no rows to carry the count: then it is 0.
    """
    return _ranked(plan, query, limit, offset)


def hits_for(
    plan: Plan, query: SearchQuery, limit: int, offset: int = 0, ids: list[int] | None = None
) -> list[Hit]:
    """One page of highlighted hits; ids: the page's entry ids if known (from ranked_page)."""
    if ids is None:
        ids = _matching_ids(plan, query, limit=limit, offset=offset)
    entries = SearchEntry.objects.in_bulk(ids)
    return [
        Hit(
            entry=entries[i],
            title=highlight(entries[i].title, query.terms),
            excerpt=highlight(entries[i].body, query.terms, limit=240),
        )
        for i in ids
    ]


def search(plan: Plan, query: str, limit: int = 50) -> tuple[list[str], list[Hit]]:
    """Entries of the plan matching the query, best first, highlighted."""
    parsed = parse_query(plan, query)
    if not parsed:
        return [], []
    return parsed.terms, hits_for(plan, parsed, limit)
