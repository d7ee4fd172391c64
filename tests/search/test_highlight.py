"""Snippets and highlighting: what is marked, the window, escaping, and bounded work."""

from __future__ import annotations

import pytest

from apps.search import highlight as hl
from apps.search.analyzer import SnowballAnalyzer, get_analyzer, voikko_available
from apps.search.highlight import Matcher, highlight, snippet


@pytest.fixture
def voikko():
    if not voikko_available():
        pytest.fail("libvoikko is not installed: `make test` installs libvoikko1 and voikko-fi")
    return get_analyzer("voikko")


class CountingAnalyzer(SnowballAnalyzer):
    """The Snowball analyzer, counting the words it is asked to analyse for marking."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def word_lexemes(self, word: str, language: str = "fi") -> tuple[str, ...]:
        self.calls += 1
        return super().word_lexemes(word, language)


def matcher_for(analyzer, *words: str, prefixes: tuple[str, ...] = ()) -> Matcher:
    """What the search matches a query with: the whole-word lemmas of its words."""
    exact = {lemma for w in words for lemma in analyzer.analyze_word(w).lemmas}
    return Matcher.build(exact, set(prefixes))


def test_highlight_marks_inflected_form(voikko):
    html = highlight("Omaishoitajan vapaapäivät", matcher_for(voikko, "omaishoitaja"), voikko)
    assert html == "<mark>Omaishoitajan</mark> vapaapäivät"


def test_highlight_marks_compound_containing_a_query_word(voikko):
    html = highlight("Kuljetuspalvelun matkat", matcher_for(voikko, "kuljetus"), voikko)
    assert html == "<mark>Kuljetuspalvelun</mark> matkat"


def test_highlight_marks_prefix_matches():
    snowball = get_analyzer("snowball")
    html = highlight("Ruokakasseja jaetaan", Matcher.build(set(), {"ruokak"}), snowball)
    assert html == "<mark>Ruokakasseja</mark> jaetaan"


def test_highlight_escapes_html_around_and_inside_marks(voikko):
    html = highlight(
        '<img src=x onerror="alert(1)"> kotihoito & <b>kotihoidon</b>',
        matcher_for(voikko, "kotihoito"),
        voikko,
    )
    assert "<img" not in html and "<b>" not in html
    assert html == (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <mark>kotihoito</mark> "
        "&amp; &lt;b&gt;<mark>kotihoidon</mark>&lt;/b&gt;"
    )


def test_snippet_picks_the_sentence_with_most_distinct_matches(voikko):
    text = (
        "Palvelu on maksuton. Omaishoitaja saa vapaata, ja omaishoitajan sijaishoito "
        "järjestetään kotona. Lisätietoja saa neuvonnasta."
    )
    html = snippet(text, matcher_for(voikko, "omaishoitaja", "sijaishoito"), voikko)
    assert html == (
        "<mark>Omaishoitaja</mark> saa vapaata, ja <mark>omaishoitajan</mark> "
        "<mark>sijaishoito</mark> järjestetään kotona."
    )


def test_snippet_windows_a_long_sentence_around_the_first_match(voikko):
    words = [f"sana{chr(97 + i % 26)}" for i in range(80)]
    words[50] = "kotihoidon"
    html = snippet(" ".join(words) + ".", matcher_for(voikko, "kotihoito"), voikko)
    assert html.startswith("… sanau sanav sanaw sanax <mark>kotihoidon</mark> ")  # 4 before
    assert html.endswith(" …")
    inner = html.removeprefix("… ").removesuffix(" …")
    assert len(inner.split()) == hl.MAX_WORDS
    assert inner.split()[4] == "<mark>kotihoidon</mark>"


def test_snippet_escapes_html(voikko):
    html = snippet(
        "Kotihoito <script>alert(1)</script> auttaa.", matcher_for(voikko, "kotihoito"), voikko
    )
    assert "<script>" not in html
    assert html == "<mark>Kotihoito</mark> &lt;script&gt;alert(1)&lt;/script&gt; auttaa."


def test_snippet_of_empty_or_wordless_text_is_empty(voikko):
    matcher = matcher_for(voikko, "kotihoito")
    assert snippet("", matcher, voikko) == ""
    assert snippet("… !!! ---", matcher, voikko) == ""


# --- Bounded work ---------------------------------------------------------------------------

BIG = 640 * 1024


def _one_word_text(size: int) -> str:
    return ("omaishoitaja " * (size // 13 + 1))[:size]


def _distinct_words_text(size: int) -> str:
    """Matching words that are all different (omaishoitajaaa, omaishoitajaab, …)."""
    words = []
    length = n = 0
    while length < size:
        suffix = "".join(chr(97 + (n // 26**k) % 26) for k in range(4))
        words.append("omaishoitaja" + suffix)
        length += len(words[-1]) + 1
        n += 1
    return " ".join(words)[:size]


@pytest.mark.parametrize("make_text", [_one_word_text, _distinct_words_text])
def test_snippet_of_a_huge_text_does_bounded_work(make_text):
    analyzer = CountingAnalyzer()
    matcher = Matcher.build(set(), {"omaishoitaj"})
    small = snippet(make_text(BIG // 10), matcher, analyzer)
    small_calls, analyzer.calls = analyzer.calls, 0
    big = snippet(make_text(BIG), matcher, analyzer)
    # A 640 KB text costs what a 64 KB one does: both read only the first MAX_SCAN
    # characters, each distinct word analysed at most once.
    assert analyzer.calls == small_calls
    assert analyzer.calls <= hl.MAX_SCAN // len("omaishoitaja ")
    assert big == small
    assert big.count("<mark>") == hl.MAX_WORDS
    assert len(big) < 2000


def test_snippet_cuts_a_sentence_without_end_before_splitting_it():
    analyzer = CountingAnalyzer()
    text = "Alku. " + "x" * (hl.MAX_SCAN // 2) + " omaishoitajaab" * 1000
    html = snippet(text, Matcher.build(set(), {"omaishoitaj"}), analyzer)
    # The long "sentence" is cut at MAX_SENTENCE characters: its matches lie beyond.
    assert "<mark>" not in html
    assert analyzer.calls <= 1


def test_highlight_of_a_huge_text_marks_a_bounded_prefix():
    analyzer = CountingAnalyzer()
    text = _distinct_words_text(BIG)
    html = highlight(text, Matcher.build(set(), {"omaishoitaj"}), analyzer)
    assert analyzer.calls <= hl.MAX_SCAN // len("omaishoitaja ")
    assert analyzer.calls - 1 <= html.count("<mark>") <= analyzer.calls  # the last one cut
    assert html.replace("<mark>", "").replace("</mark>", "") == text  # all of it, escaped
