"""apps/search/query.py: from the typed words to alternatives, and to the SQL that scores
a document. The look-up results (``Lookup``) are written out by hand here, as the index
would report them; the score expression runs on real PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection

from apps.search import query as q
from apps.search.analyzer import BaseAnalyzer, get_analyzer, voikko_available

KOTKA = "285"


@pytest.fixture(scope="module")
def fi() -> BaseAnalyzer:
    # `make test` installs libvoikko1 and voikko-fi; without them, fail loudly.
    if not voikko_available():
        pytest.fail(
            "libvoikko is not installed: run `make test` (it installs libvoikko1 "
            "and voikko-fi) or `apt-get install libvoikko1 voikko-fi`"
        )
    return get_analyzer("voikko")


@pytest.fixture(scope="module")
def snowball() -> BaseAnalyzer:
    return get_analyzer("snowball")


def _lookup(n_docs: int = 100, **df: tuple[int, int]) -> q.Lookup:
    return q.Lookup(n_docs=n_docs, df=dict(df))


def _alts(term: q.Term) -> dict[tuple[tuple[str, ...], str], float]:
    return {(alt.lexemes, alt.kind): alt.factor for alt in term.alts}


# --- parse ------------------------------------------------------------------------------


class TestParse:
    def test_parse_drops_stop_words(self, fi):
        words = q.parse("omaishoidon tuki ja kotkassa", fi)
        assert [t.word for t in words.terms] == ["omaishoidon", "tuki", "kotkassa"]

    def test_parse_only_stop_words_searches_them_as_they_are(self, fi):
        words = q.parse("ja", fi)
        assert [(t.word, t.analysis.lemmas) for t in words.terms] == [("ja", ("ja",))]

    def test_parse_word_in_base_form_means_that_word(self, fi):
        """ "tuki" is support, not a form of tukkia; an inflected word keeps every
        reading ("tuen": tukea or tuki)."""
        (tuki,) = q.parse("tuki", fi).terms
        (tuen,) = q.parse("tuen", fi).terms
        assert tuki.analysis.lemmas == ("tuki",)
        assert set(tuen.analysis.lemmas) == {"tukea", "tuki"}

    def test_parse_collects_lemmas_parts_roots_and_other_languages(self, fi):
        words = q.parse("omaishoidon", fi)
        assert {
            "omaishoito",
            "omaishoidon",
            "omais",
            "hoito",
            "r:hoitaa",
            "sv:omaishoidon",
            "en:omaishoidon",
        } <= words.exact
        assert (0, "omaishoito", "w") in words.fuzzy
        assert {(0, "omais", "p"), (0, "hoito", "p")} <= set(words.fuzzy)

    def test_parse_synonym_keys_cover_runs_of_two_and_three_words(self, fi):
        keys = q.parse("omaishoidon tuki kotkassa", fi).synonym_keys
        assert {"omaishoito tuki", "tuki kotka", "omaishoito tuki kotka"} <= keys

    def test_parse_unknown_word_is_also_a_stem_prefix(self, snowball):
        words = q.parse("kotkassa", snowball)
        assert "kotk" in words.prefixes

    def test_parse_typing_marks_the_last_word_unfinished(self, fi):
        typed = q.parse("omaishoitajan vap", fi, typing=True)
        assert [t.unfinished for t in typed.terms] == [False, True]
        assert "vap" in typed.prefixes

    @pytest.mark.parametrize(
        ("query", "typing"),
        [("omaishoitajan vap", False), ("omaishoitajan vap ", True), ("omaishoitajan va", True)],
    )
    def test_parse_finished_or_too_short_last_word_is_no_prefix(self, fi, query, typing):
        words = q.parse(query, fi, typing=typing)
        assert not any(t.unfinished for t in words.terms)

    def test_parse_keeps_at_most_max_terms(self, snowball):
        words = q.parse(" ".join(f"sana{n}x" for n in range(20)), snowball)
        assert len(words.terms) == q.MAX_TERMS


# --- idf and Alt ------------------------------------------------------------------------


def test_idf_rare_words_count_more():
    assert q.idf(1, 1000) > q.idf(10, 1000) > q.idf(900, 1000) > 0


def test_idf_tolerates_odd_counts():
    assert q.idf(None, 100) == q.idf(0, 100)
    assert q.idf(500, 100) == q.idf(100, 100) > 0  # more than all: as if in all
    assert q.idf(1, 0) > 0


@pytest.mark.parametrize(
    ("alt", "weights", "expected"),
    [
        (q.Alt(("kotka",), 1.0), "", "'kotka'"),
        (q.Alt(("vap",), 0.9, prefix=True), "", "'vap':*"),
        (q.Alt(("vap",), 0.9, prefix=True), "AB", "'vap':*AB"),
        (q.Alt(("omais", "hoito"), 0.8), "A", "('omais':A & 'hoito':A)"),
        (q.Alt(("o'brien",), 1.0), "", "'o''brien'"),
    ],
)
def test_alt_tsquery(alt, weights, expected):
    assert alt.tsquery(weights) == expected


@pytest.mark.django_db
def test_alt_tsquery_is_valid_postgresql():
    vector = "'hoito':2B 'omais':1A 'vapaa':3C"
    checks = [
        (q.Alt(("omais", "hoito"), 0.8), "", True),
        (q.Alt(("omais", "hoito"), 0.8), "A", False),  # hoito is only B
        (q.Alt(("vap",), 0.9, prefix=True), "", True),
        (q.Alt(("vap",), 0.9, prefix=True), "AB", False),
    ]
    with connection.cursor() as cursor:
        for alt, weights, expected in checks:
            cursor.execute("SELECT %s::tsvector @@ %s::tsquery", [vector, alt.tsquery(weights)])
            assert cursor.fetchone()[0] is expected, alt.tsquery(weights)


# --- plan -------------------------------------------------------------------------------


class TestPlan:
    def test_plan_word_in_the_index_is_an_exact_alternative(self, fi):
        words = q.parse("kotkassa", fi)
        (term,) = q.plan(words, _lookup(kotka=(3, 1)), fi, "fi")
        assert _alts(term) == {(("kotka",), "exact"): q.F_EXACT}
        assert (term.alts[0].df, term.alts[0].head_df) == (3, 1)

    def test_plan_drops_a_word_the_index_lacks_entirely(self, fi):
        words = q.parse("kotkassa kuljetus", fi)
        terms = q.plan(words, _lookup(kuljetus=(2, 2)), fi, "fi")
        assert [t.word for t in terms] == ["kuljetus"]

    def test_plan_compound_missing_as_a_whole_matches_all_its_parts(self, fi):
        words = q.parse("omaishoidon", fi)
        (term,) = q.plan(words, _lookup(omais=(4, 0), hoito=(9, 2)), fi, "fi")
        alts = _alts(term)
        assert alts[(("omais", "hoito"), "parts")] == q.F_ALL_PARTS
        assert alts[(("omais",), "part")] == alts[(("hoito",), "part")] == q.F_PART
        assert not term.correction

    def test_plan_derived_word_matches_its_base(self, fi):
        (term,) = q.plan(q.parse("käyttö", fi), _lookup(**{"r:käyttää": (2, 0)}), fi, "fi")
        assert _alts(term) == {(("r:käyttää",), "root"): q.F_ROOT}

    def test_plan_unknown_typo_takes_the_nearest_word_and_says_so(self, fi):
        words = q.parse("lastensuojeluilmotus", fi)
        lookup = _lookup()
        lookup.fuzzy["lastensuojeluilmotus"] = [
            ("lastensuojeluilmoitus", 0.56, 3, 1),
            ("lastensuojelu", 0.45, 5, 2),
        ]
        (term,) = q.plan(words, lookup, fi, "fi")
        assert _alts(term) == {
            (("lastensuojeluilmoitus",), "typo"): pytest.approx(q.F_TYPO * 0.56 / 0.7)
        }
        assert term.correction == "lastensuojeluilmoitus"

    def test_plan_known_word_the_index_lacks_is_no_typo_to_show(self, fi):
        lookup = _lookup()
        lookup.fuzzy["holhooja"] = [("holhous", 0.5, 2, 1)]
        (term,) = q.plan(q.parse("holhooja", fi), lookup, fi, "fi")
        assert (("holhous",), "typo") in _alts(term)
        assert term.correction == ""

    def test_plan_known_word_sharing_a_stem_counts_as_its_family(self, fi):
        # holhooja and holhous share "holho": a word of the same base, whatever the
        # trigram similarity of their endings.
        lookup = _lookup()
        lookup.fuzzy["holhooja"] = [("holhous", 0.42, 2, 1)]
        (term,) = q.plan(q.parse("holhooja", fi), lookup, fi, "fi")
        assert _alts(term) == {(("holhous",), "typo"): q.F_ROOT}
        assert q.F_ROOT > q.F_TYPO

    def test_plan_known_word_prefers_its_family_to_a_more_similar_word(self, fi):
        lookup = _lookup()
        lookup.fuzzy["holhooja"] = [("holvi", 0.45, 2, 1), ("holhous", 0.35, 2, 1)]
        (term,) = q.plan(q.parse("holhooja", fi), lookup, fi, "fi")
        assert _alts(term) == {(("holhous",), "typo"): q.F_ROOT}

    def test_plan_known_word_with_a_short_shared_beginning_stays_a_weak_typo(self, fi):
        # makaa (maata) and maa share three letters only: no family, similarity decides.
        lookup = _lookup()
        lookup.fuzzy["maata"] = [("maa", 0.43, 2, 1)]
        (term,) = q.plan(q.parse("makaa", fi), lookup, fi, "fi")
        assert _alts(term) == {(("maa",), "typo"): pytest.approx(q.F_TYPO * 0.43 / 0.7)}

    def test_plan_unknown_word_sharing_a_stem_is_still_scored_as_a_typo(self, fi):
        words = q.parse("lastensuojeluilmotus", fi)
        lookup = _lookup()
        lookup.fuzzy["lastensuojeluilmotus"] = [("lastensuojeluilmoitus", 0.56, 3, 1)]
        (term,) = q.plan(words, lookup, fi, "fi")
        assert _alts(term)[(("lastensuojeluilmoitus",), "typo")] < q.F_ROOT

    def test_plan_ignores_words_too_far_from_the_typo(self, fi):
        lookup = _lookup()
        lookup.fuzzy["lastensuojeluilmotus"] = [("lapsi", q.MIN_SIMILARITY - 0.01, 3, 1)]
        assert q.plan(q.parse("lastensuojeluilmotus", fi), lookup, fi, "fi") == []

    def test_plan_compound_with_one_mistyped_part_fixes_that_part(self, fi):
        words = q.parse("omaishoidon", fi)
        lookup = _lookup(omais=(4, 0))
        lookup.fuzzy["hoito"] = [("hoiva", 0.5, 6, 1)]
        (term,) = q.plan(words, lookup, fi, "fi")
        assert _alts(term)[(("omais", "hoiva"), "typo")] == q.F_TYPO

    def test_plan_synonyms_and_the_exact_word_dedupe_to_the_best_factor(self, fi):
        lookup = _lookup(tuki=(5, 2))
        lookup.synonyms["tuki"] = [(("avustus",), 3, 1), (("tuki",), 5, 2)]
        (term,) = q.plan(q.parse("tuki", fi), lookup, fi, "fi")
        assert _alts(term) == {
            (("tuki",), "exact"): q.F_EXACT,
            (("avustus",), "synonym"): q.F_SYNONYM,
        }

    def test_plan_phrase_synonym_counts_for_each_of_its_words(self, fi):
        lookup = _lookup(omaishoito=(2, 1), tuki=(5, 2))
        lookup.synonyms["omaishoito tuki"] = [(("omaishoitaja", "palkkio"), 1, 1)]
        terms = q.plan(q.parse("omaishoidon tuki", fi), lookup, fi, "fi")
        for term in terms:
            assert _alts(term)[(("omaishoitaja", "palkkio"), "synonym")] == q.F_SYNONYM

    def test_plan_place_word_is_kept_for_its_municipality(self, fi):
        lookup = _lookup()
        lookup.places["kotka"] = [KOTKA]
        (term,) = q.plan(q.parse("kotkassa", fi), lookup, fi, "fi")
        assert (term.alts, term.places) == ([], [KOTKA])

    def test_plan_other_language_counts_fully_in_that_language(self, fi):
        lookup = _lookup(**{"sv:färdtjänst": (2, 1)})
        for language, factor in (("sv", q.F_EXACT), ("fi", q.F_OTHER_LANGUAGE)):
            (term,) = q.plan(q.parse("färdtjänst", fi), lookup, fi, language)
            assert _alts(term)[(("sv:färdtjänst",), "sv")] == factor

    def test_plan_unknown_word_matches_its_stem_as_a_prefix(self, snowball):
        lookup = _lookup()
        lookup.prefix_df["kotk"] = (4, 1)
        (term,) = q.plan(q.parse("kotkassa", snowball), lookup, snowball, "fi")
        (stem,) = term.alts
        assert (stem.lexemes, stem.prefix, stem.kind, stem.df) == (("kotk",), True, "stem", 4)

    def test_plan_unfinished_word_matches_as_a_prefix(self, fi):
        words = q.parse("omaishoitajan vap", fi, typing=True)
        lookup = _lookup(omaishoitaja=(2, 2))
        lookup.prefix_df["vap"] = (7, 3)
        _first, last = q.plan(words, lookup, fi, "fi")
        assert _alts(last)[(("vap",), "stem")] == q.F_TYPING
        assert all(alt.prefix for alt in last.alts)


# --- compile_terms ----------------------------------------------------------------------


def _terms(fi, query: str, lookup: q.Lookup) -> list[q.Term]:
    return q.plan(q.parse(query, fi), lookup, fi, "fi")


def _score(compiled: q.Compiled, vector: str, municipalities: list[str] | None = None) -> float:
    sql = (
        f"SELECT ({compiled.score_sql}) FROM (SELECT %s::tsvector AS v) x, "  # noqa: S608
        "(SELECT %s::varchar[] AS municipalities) d"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*compiled.score_params, vector, municipalities or []])
        return float(cursor.fetchone()[0])


def test_compile_terms_nothing_to_look_up_is_none(fi):
    assert q.compile_terms([], 100) is None
    assert q.compile_terms(_terms(fi, "kotkassa", _lookup()), 100) is None


@pytest.mark.django_db
class TestScore:
    def test_score_title_beats_summary_beats_body_beats_details(self, fi):
        compiled = q.compile_terms(_terms(fi, "kuljetus", _lookup(kuljetus=(3, 1))), 100)
        scores = [_score(compiled, f"'kuljetus':1{weight} 'muu':2A") for weight in "ABCD"]
        assert scores == sorted(scores, reverse=True)
        assert len(set(scores)) == 4
        assert _score(compiled, "'muu':1A") == 0

    def test_score_every_word_beats_some_words(self, fi):
        compiled = q.compile_terms(
            _terms(fi, "kuljetus taksi", _lookup(kuljetus=(3, 1), taksi=(3, 1))), 100
        )
        both = _score(compiled, "'kuljetus':1C 'taksi':20C")
        one = _score(compiled, "'kuljetus':1C")
        assert both > one > 0

    def test_score_words_close_together_earn_more(self, fi):
        compiled = q.compile_terms(
            _terms(fi, "kuljetus taksi", _lookup(kuljetus=(3, 1), taksi=(3, 1))), 100
        )
        near = _score(compiled, "'kuljetus':1C 'taksi':2C")
        far = _score(compiled, "'kuljetus':1C 'taksi':40C")
        assert near > far

    def test_score_rare_word_counts_more(self, fi):
        lookup = _lookup(kuljetus=(2, 1), taksi=(80, 40))
        compiled = q.compile_terms(_terms(fi, "kuljetus taksi", lookup), 100)
        assert _score(compiled, "'kuljetus':1C") > _score(compiled, "'taksi':1C")

    def test_score_place_word_is_satisfied_by_availability(self, fi):
        lookup = _lookup(kuljetus=(3, 1))
        lookup.places["kotka"] = [KOTKA]
        compiled = q.compile_terms(_terms(fi, "kuljetus kotkassa", lookup), 100)
        text = "'kuljetus':1A"
        whole_area, there, elsewhere = (
            _score(compiled, text, []),
            _score(compiled, text, [KOTKA]),
            _score(compiled, text, ["286"]),
        )
        assert whole_area == there > elsewhere > 0


class TestBranches:
    def test_branches_rare_word_is_looked_up_everywhere(self, fi):
        compiled = q.compile_terms(_terms(fi, "kuljetus", _lookup(kuljetus=(3, 1))), 100)
        assert {b.column for b in compiled.branches} == {"vector", "head"}
        assert not any(b.capped for b in compiled.branches)

    def test_branches_common_word_is_looked_up_in_titles_only(self, fi):
        lookup = _lookup(100_000, palvelu=(q.BODY_BUDGET + 1, 50))
        compiled = q.compile_terms(_terms(fi, "palvelu", lookup), 100_000)
        assert [(b.column, b.capped) for b in compiled.branches] == [("head", False)]

    def test_branches_very_common_title_word_is_capped(self, fi):
        lookup = _lookup(100_000, palvelu=(q.BODY_BUDGET + 1, q.HEAD_BUDGET + 1))
        compiled = q.compile_terms(_terms(fi, "palvelu", lookup), 100_000)
        assert [(b.column, b.capped) for b in compiled.branches] == [("head", True)]

    def test_branches_selective_word_brings_the_candidates_alone(self, fi):
        lookup = _lookup(100_000, palvelu=(q.BODY_BUDGET + 1, q.HEAD_BUDGET + 1), kuljetus=(3, 1))
        terms = _terms(fi, "palvelu kuljetus", lookup)
        compiled = q.compile_terms(terms, 100_000)
        assert {terms[b.term].word for b in compiled.branches} == {"kuljetus"}
