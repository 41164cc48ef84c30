"""German full-text search; the suite runs on SQLite (FTS5) and PostgreSQL (german)."""

from __future__ import annotations

import pytest

from search.folding import fold, query_terms
from search.models import SearchEntry
from search.query import highlight, search


def keys(plan, query: str) -> list[tuple[str, str]]:
    return [(hit.entry.kind, hit.entry.key) for hit in search(plan, query)[1]]


def test_folding_spells_out_umlauts_and_sharp_s():
    assert fold("Maßnahme ÖPNV Grüne Gäste") == "massnahme oepnv gruene gaeste"
    assert query_terms("Oepnv, ÖPNV oepnv") == ["oepnv"]


def test_index_holds_every_measure_goal_organisation_and_key_project(kek_plan):
    kinds = {
        kind: SearchEntry.objects.filter(plan=kek_plan, kind=kind).count()
        for kind in SearchEntry.Kind.values
    }
    assert kinds == {
        "measure": 233,
        "node": 52,
        "organisation": kek_plan.organisations.count(),
        "key_project": 13,
    }


@pytest.mark.parametrize(
    "spellings", [("Maßnahme", "Massnahme", "massnahme"), ("ÖPNV", "Oepnv", "oepnv", "öpnv")]
)
def test_umlauts_and_sharp_s_match_either_way(kek_plan, spellings):
    results = [keys(kek_plan, spelling) for spelling in spellings]
    assert results[0], "the word occurs in the plan"
    assert all(result == results[0] for result in results)


def test_a_word_is_found_inside_compounds(kek_plan):
    found = keys(kek_plan, "radweg")
    assert ("measure", "3-55") in found  # "Radwegenetz- und Radverkehrsentwicklung"
    assert ("measure", "3-50") in found  # "Radwegenetzes an Kreisstraßen" (line 370)


def test_a_compound_not_in_the_text_falls_back_to_its_tail(kek_plan):
    terms, hits = search(kek_plan, "Fahrradweg")
    assert terms == ["radweg"]
    assert [(h.entry.kind, h.entry.key) for h in hits] == keys(kek_plan, "radweg")


def test_all_terms_are_required(kek_plan):
    both = set(keys(kek_plan, "Monitoring Geoportal"))
    assert ("measure", "2-84") in both
    assert both <= set(keys(kek_plan, "Geoportal"))


def test_organisations_are_found_by_full_name(kek_plan):
    assert ("organisation", "AfS") in keys(kek_plan, "Straßenbau")


def test_goals_are_found_by_their_long_text(kek_plan):
    assert ("node", "3.3") in keys(kek_plan, "verkehrsbedingter")


def test_title_hits_rank_before_text_hits(kek_plan):
    measures = [key for kind, key in keys(kek_plan, "Breitbandausbau") if kind == "measure"]
    assert measures[0] == "2-6"  # "Sicherung … Breitbandausbaus" in its title


def test_hits_are_highlighted_and_escaped():
    html = highlight("Maßnahmen <b>für</b> das Radwegenetz", ["massnahme", "radweg"])
    assert html == "<mark>Maßnahme</mark>n &lt;b&gt;für&lt;/b&gt; das <mark>Radweg</mark>enetz"


def test_an_empty_or_stop_word_query_finds_nothing(kek_plan):
    assert search(kek_plan, "  ") == ([], [])
    assert search(kek_plan, "und der") == ([], [])


def test_a_ranked_page_carries_the_total_of_all_matches(kek_plan):
    from search.query import _matching_ids, count_matches, parse_query, ranked_page

    query = parse_query(kek_plan, "Unterstützung")
    total = count_matches(kek_plan, query)
    assert total > 40

    ids, counted = ranked_page(kek_plan, query, limit=20, offset=20)

    assert counted == total
    assert ids == _matching_ids(kek_plan, query, limit=20, offset=20)
    assert ranked_page(kek_plan, query, limit=20, offset=total) == ([], 0)


def test_a_tail_found_only_inside_words_is_not_taken_for_a_compound(kek_plan):
    assert search(kek_plan, "Ortsumgehung") == (["ortsumgehung"], [])


def test_parts_of_words_are_highlighted_short_terms_only_at_word_starts():
    html = highlight("Brachflächenkataster 2-84 und 1984", ["brache", "84"])
    assert html == "<mark>Brach</mark>flächenkataster 2-<mark>84</mark> und 1984"
