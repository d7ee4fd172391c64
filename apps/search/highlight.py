"""Snippets with the matched words marked, inflected and compound forms included.

A word in the text is marked when any lexeme the analyzer gives it is one the query
matched with (``omaishoitajan`` is marked for the query ``omaishoitaja``,
``kuljetuspalvelun`` for ``kuljetus``). Only words that share a few letters with a
query lexeme are analysed, so a snippet costs little even for long texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .analyzer import BaseAnalyzer, tokenize

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
MAX_WORDS = 32


@dataclass(frozen=True)
class Matcher:
    exact: frozenset[str]
    prefixes: tuple[str, ...]
    fragments: tuple[str, ...]

    @classmethod
    def build(cls, exact: set[str], prefixes: set[str]) -> Matcher:
        frags = set()
        for lex in (*exact, *prefixes):
            bare = lex.split(":", 1)[1] if lex[:3] in ("sv:", "en:") else lex
            if bare:
                frags.add(bare[:3])
        return cls(frozenset(exact), tuple(sorted(prefixes)), tuple(sorted(frags)))

    def matches(self, word: str, analyzer: BaseAnalyzer, language: str) -> bool:
        lower = word.lower()
        if not any(f in lower for f in self.fragments):
            return False
        lexemes = analyzer.word_lexemes(word, language)
        if language == "fi":
            lexemes = (*lexemes, lower)
        else:
            lexemes = (*lexemes, *analyzer.word_lexemes(word, "fi"))
        for lex in lexemes:
            if lex in self.exact:
                return True
            if any(lex.startswith(p) for p in self.prefixes):
                return True
        return False


def highlight(text: str, matcher: Matcher, analyzer: BaseAnalyzer, language: str = "fi",
              ) -> SafeString:
    """The whole (short) text with matched words in ``<mark>``."""
    return _render(text, [(s, e) for w, s, e in tokenize(text)
                          if matcher.matches(w, analyzer, language)])


def snippet(text: str, matcher: Matcher, analyzer: BaseAnalyzer, language: str = "fi",
            ) -> SafeString:
    """The sentence with the most matched words (cut to about 32 words), marked."""
    if not text:
        return mark_safe("")
    best: tuple[int, int, list[tuple[str, int, int]], list[int]] | None = None
    offset = 0
    for sentence in _SENTENCE_END.split(text):
        start = text.find(sentence, offset)
        offset = start + len(sentence)
        words = [(w, start + s, start + e) for w, s, e in tokenize(sentence)]
        if not words:
            continue
        hits = [i for i, (w, _s, _e) in enumerate(words) if matcher.matches(w, analyzer, language)]
        distinct = len({words[i][0].lower() for i in hits})
        if best is None or distinct > best[0]:
            best = (distinct, start, words, hits)
    if best is None:
        return mark_safe("")
    _distinct, _start, words, hits = best
    first = 0
    if len(words) > MAX_WORDS and hits:
        first = max(0, min(hits[0] - 4, len(words) - MAX_WORDS))
    window = words[first:first + MAX_WORDS]
    begin = window[0][1] if first else _sentence_start(text, window[0][1])
    end = window[-1][2]
    if first + MAX_WORDS >= len(words):
        end = _sentence_end(text, end)
    marks = [(s - begin, e - begin) for i, (_w, s, e) in enumerate(words)
             if i in set(hits) and first <= i < first + MAX_WORDS]
    html = _render(text[begin:end], marks)
    prefix = "… " if first else ""
    suffix = " …" if first + MAX_WORDS < len(words) else ""
    return mark_safe(prefix + html + suffix)  # noqa: S308 - parts escaped in _render


def _sentence_start(text: str, pos: int) -> int:
    while pos > 0 and text[pos - 1] not in "\n" and not text[pos - 1].isspace():
        pos -= 1
    return pos


def _sentence_end(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in ".!?)":
        pos += 1
    return pos


def _render(text: str, marks: list[tuple[int, int]]) -> SafeString:
    out: list[str] = []
    last = 0
    for start, end in sorted(marks):
        if start < last:
            continue
        out.append(escape(text[last:start]))
        out.append("<mark>" + escape(text[start:end]) + "</mark>")
        last = end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above
