from __future__ import annotations

from apps.search.text import plain_text, tsvector_literal


def test_plain_text_drops_markdown_markup():
    assert plain_text("**Tärkeää:** katso [ohje](https://x.example/)\n- yksi\n- kaksi") == (
        "Tärkeää: katso ohje\nyksi\nkaksi"
    )


def test_tsvector_literal_quotes_lexemes_and_keeps_weights():
    assert tsvector_literal({"o'brien": [(2, "C")], "apu": [(1, "A"), (5, "C")]}) == (
        "'apu':1A,5C 'o''brien':2C"
    )
