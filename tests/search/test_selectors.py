"""The ranked search: Finnish as it is typed, filters, synonyms, Swedish, the degraded path.

Tests taking the ``analyzer`` fixture run twice: with Voikko and with the Snowball
fallback used where libvoikko cannot load.
"""

from __future__ import annotations

import pytest

from apps.search import selectors, services
from apps.search.models import SynonymGroup

from .conftest import HAMINA, KOTKA, KOUVOLA, keys, search_keys

pytestmark = pytest.mark.django_db


def _search(query: str, analyzer, **kwargs) -> list[str]:
    return keys(selectors.search(query=query, analyzer=analyzer, **kwargs))


# --- Inflection ---------------------------------------------------------------------------


def test_search_finds_title_word_as_typed(analyzer):
    assert _search("kotihoito", analyzer)[0] == "kotihoito"


def test_search_finds_inflected_forms(analyzer):
    assert _search("omaishoitajan vapaat", analyzer)[0] == "omaishoitajan-vapaat"
    assert _search("omaishoidon tuki", analyzer)[0] == "omaishoidon-tuki"


def test_search_finds_inflected_place_and_partitive(analyzer):
    assert _search("ruoka-apua kotkassa", analyzer, municipality=KOTKA)[0] == "ruoka-apu-kotka"


def test_search_matches_consonant_gradation_with_voikko(voikko):
    # hoidon ~ hoito, tuen ~ tuki: gradation that Snowball stems cannot bridge
    assert _search("omaishoidon tuen hakeminen", voikko)[0] == "omaishoidon-tuki"


# --- Compounds ----------------------------------------------------------------------------


def test_search_finds_modifier_of_a_compound(analyzer):
    assert _search("kuljetus", analyzer)[0] == "kuljetuspalvelu"


def test_search_finds_compound_head_and_parts_with_voikko(voikko):
    # muutostyöt is the head of "Asunnon muutostyöt"; kylpyhuoneeseen inflects the body's
    # kylpyhuoneen
    assert _search("muutostyöt kylpyhuoneeseen", voikko)[0] == "asunnon-muutostyot"
    # palvelu is only the head of kuljetuspalvelu
    assert "kuljetuspalvelu" in _search("palvelu vammaisille", voikko)[:2]


def test_search_finds_keywords(analyzer):
    assert _search("taksikortti", analyzer)[0] == "kuljetuspalvelu"
    assert _search("lomitus", analyzer)[0] == "omaishoitajan-vapaat"


# --- Typos --------------------------------------------------------------------------------


def test_search_corrects_one_letter_typos(analyzer):
    result = selectors.search(query="lastensuojeluilmotus", analyzer=analyzer)
    assert keys(result)[0] == "lastensuojeluilmoitus"
    assert result.corrections


def test_search_corrects_a_typo_inside_a_run_together_compound(voikko):
    assert _search("omaishoidontukki", voikko)[0] == "omaishoidon-tuki"


def test_search_returns_nothing_for_unrelated_gibberish(analyzer):
    assert _search("xqzvw", analyzer) == []


# --- Synonyms -----------------------------------------------------------------------------


def test_synonym_group_takes_effect_at_once(analyzer):
    assert "palveluasuminen" not in _search("vanhainkoti", analyzer)
    group = SynonymGroup(terms="vanhainkoti, palveluasuminen, hoivakoti")
    services.synonym_group_save(group=group, analyzer=analyzer)
    assert _search("paikka vanhainkotiin", analyzer)[0] == "palveluasuminen"


def test_inactive_synonym_group_is_ignored(analyzer):
    group = SynonymGroup(terms="vanhainkoti\npalveluasuminen", is_active=False)
    services.synonym_group_save(group=group, analyzer=analyzer)
    assert "palveluasuminen" not in _search("vanhainkoti", analyzer)


def test_multi_word_synonym_matches_consecutive_words(voikko):
    group = SynonymGroup(terms="rahat loppu, toimeentulotuki, perustoimeentulotuki")
    services.synonym_group_save(group=group, analyzer=voikko)
    assert _search("rahat loppu", voikko)[0] == "perustoimeentulotuki"
    assert "perustoimeentulotuki" not in _search("loppu", voikko)


# --- Filters ------------------------------------------------------------------------------


def test_municipality_filter_keeps_whole_area_and_local_entries(analyzer):
    found = _search("ruoka-apu", analyzer, municipality=KOTKA)
    assert "ruoka-apu-kotka" in found
    assert "ruoka-apu-kouvola" not in found
    found = _search("ruoka-apu", analyzer, municipality=KOUVOLA)
    assert "ruoka-apu-kouvola" in found
    assert "ruoka-apu-kotka" not in found
    assert _search("ruoka-apu", analyzer, municipality=HAMINA) == []


def test_entry_for_the_whole_area_matches_every_municipality(analyzer):
    for code in (KOTKA, KOUVOLA, HAMINA):
        assert _search("kotihoito", analyzer, municipality=code)[0] == "kotihoito"


def test_line_and_type_filters(analyzer):
    assert set(_search("ruoka-apu", analyzer, doc_types=["service"])) == set()
    assert "ruoka-apu-kotka" in _search("ruoka-apu", analyzer, doc_types=["offer"])
    assert _search("kotihoito", analyzer, line="ikaihmiset")[0] == "kotihoito"
    assert "kotihoito" not in _search("kotihoito", analyzer, line="vammaispalvelut")


# --- Swedish ------------------------------------------------------------------------------


def test_swedish_title_is_found_by_swedish_words(analyzer):
    assert _search("färdtjänst", analyzer)[0] == "kuljetuspalvelu"


def test_swedish_user_sees_swedish_title_and_snippet(analyzer):
    result = selectors.search(query="taxiresor", analyzer=analyzer, language="sv")
    assert keys(result)[0] == "kuljetuspalvelu"
    assert result.hits[0].title.startswith("Färdtjänst")
    assert "<mark>Taxiresor</mark>" in result.hits[0].snippet


# --- Results ------------------------------------------------------------------------------


def test_snippet_marks_inflected_and_compound_forms(voikko):
    hits = {h.key: h for h in selectors.search(query="omaishoitaja", analyzer=voikko).hits}
    assert "<mark>omaishoitajalle</mark>" in hits["omaishoidon-tuki"].snippet
    assert "<mark>Omaishoitajan</mark>" in hits["omaishoitajan-vapaat"].title_html
    hit = selectors.search(query="kuljetus", analyzer=voikko).hits[0]
    assert "<mark>Kuljetuspalvelu</mark>" in hit.title_html


def test_snippet_escapes_html(catalogue, voikko):
    from apps.catalogue.models import Entry

    entry = Entry.objects.get(key="kotihoito")
    entry.summary_fi = "Kotihoito <script>alert(1)</script> auttaa."
    entry.save()
    services.index_object(entry)
    hit = selectors.search(query="kotihoito", analyzer=voikko).hits[0]
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet


def test_search_costs_two_queries_whatever_it_finds(analyzer, django_assert_num_queries):
    for query in (
        "kotihoito",
        "omaishoitajan vapaat ja sijaishoito kotona",
        "lastensuojeluilmotus",
        "ruoka-apu kotka kouvola hamina",
    ):
        with django_assert_num_queries(2):
            selectors.search(query=query, analyzer=analyzer, municipality=KOTKA)
    with django_assert_num_queries(1):  # nothing in the index matches: no second query
        assert selectors.search(query="xqzvw", analyzer=analyzer).hits == []


def test_empty_query_costs_nothing(catalogue, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert search_keys("  ") == []


def test_unfinished_last_word_matches_as_a_prefix_while_typing(analyzer):
    assert _search("omaishoitajan vap", analyzer, typing=True)[0] == "omaishoitajan-vapaat"
    assert _search("kuljetuspalv", analyzer, typing=True)[0] == "kuljetuspalvelu"


def test_a_word_being_typed_that_begins_indexed_words_looks_up_no_typo_candidates(analyzer):
    """The typo look-up (a trigram scan of the lexicon, the costliest part of the word
    look-up) runs only for a term that nothing in the index matches: not for a prefix
    being typed that begins indexed words. A mistyped one still gets candidates."""
    from apps.search import query as q

    typed = selectors._lookup(q.parse("kuljetuspalv", analyzer, typing=True), analyzer)
    assert typed.prefix_df["kuljetuspalv"][0] > 0
    assert typed.fuzzy == {}
    mistyped = selectors._lookup(q.parse("kuljetuspalvleu", analyzer, typing=True), analyzer)
    assert mistyped.fuzzy
    assert _search("kuljetuspalvleu", analyzer, typing=True)[0] == "kuljetuspalvelu"
