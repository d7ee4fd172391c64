from __future__ import annotations

import pytest

from apps.search.analyzer import get_analyzer, tokenize, voikko_available


@pytest.fixture
def needs_voikko_fixture():
    if not voikko_available():
        pytest.fail("libvoikko is not installed: `make test` installs libvoikko1 and voikko-fi")


needs_voikko = pytest.mark.usefixtures("needs_voikko_fixture")


def test_tokenize_keeps_hyphenated_words_and_drops_abbreviation_endings():
    assert [w for w, _s, _e in tokenize("MLL:n ruoka-apua, 2026 talous- ja velkaneuvonta")] == [
        "MLL",
        "ruoka-apua",
        "talous",
        "ja",
        "velkaneuvonta",
    ]


@needs_voikko
def test_voikko_lemmatises_inflected_forms():
    voikko = get_analyzer("voikko")
    assert voikko.analyze_word("omaishoitajan").lemmas == ("omaishoitaja",)
    assert "tuki" in voikko.analyze_word("tuen").lemmas
    assert voikko.analyze_word("Kotkassa").lemmas == ("kotka",)


@needs_voikko
def test_voikko_splits_compounds_into_lemmatised_parts_and_spans():
    a = get_analyzer("voikko").analyze_word("lastensuojeluilmoituksen")
    assert a.lemmas == ("lastensuojeluilmoitus",)
    assert {"lapsi", "suojelu", "ilmoitus"} <= set(a.parts)
    assert "lastensuojelu" in a.spans
    assert ("lapsi", "suojelu", "ilmoitus") in a.compounds


@needs_voikko
def test_voikko_links_derived_words_to_their_base():
    voikko = get_analyzer("voikko")
    assert "käyttää" in voikko.analyze_word("käyttö").roots


@needs_voikko
def test_voikko_marks_function_words_as_stop_words():
    voikko = get_analyzer("voikko")
    assert voikko.analyze_word("eikä").stop
    assert not voikko.analyze_word("kotona").stop


def test_snowball_backend_stems_without_voikko():
    snowball = get_analyzer("snowball")
    a = snowball.analyze_word("omaishoitajan")
    assert not a.known
    assert a.lemmas == (snowball.fi_stem("omaishoitajan"),)
    assert snowball.analyze_word("ja").stop


def test_swedish_and_english_words_get_their_own_prefixed_stems():
    analyzer = get_analyzer("snowball")
    assert analyzer.other_word("Färdtjänst", "sv") == "sv:färdtjänst"
    assert analyzer.other_word("och", "sv") == ""
    assert analyzer.other_word("babysitters", "en").startswith("en:babysitt")
