"""Snippets with the matched words marked, inflected and compound forms included.

A word in the text is marked when any lexeme the analyzer gives it is one the query
matched with (``omaishoitajan`` is marked for the query ``omaishoitaja``,
``kuljetuspalvelun`` for ``kuljetus``). Only words that share a few letters with a
query lexeme are analysed, and each distinct word once per text.

The work per hit is bounded whatever the document: a snippet is chosen from the first
``MAX_SCAN`` characters only, each sentence is cut to ``MAX_SENTENCE`` characters before
it is split into words, and ``highlight`` marks words in the first ``MAX_SCAN``
characters (the rest is escaped as it is). A 640 KB answer of one repeated word costs
what a normal one does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .analyzer import BaseAnalyzer, tokenize

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
MAX_WORDS = 32
# Characters of a text a snippet is chosen from (the index stores no more than this of
# each snippet text either: services.SNIPPET_CHARS), and of one sentence that is split
# into words. About 1,500 and 150 words: far more than a snippet of 32 words needs.
MAX_SCAN = 10_000
MAX_SENTENCE = 1_000


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


class _Marks:
    """``matcher.matches`` remembered per distinct word within one text."""

    def __init__(self, matcher: Matcher, analyzer: BaseAnalyzer, language: str) -> None:
        self.matcher, self.analyzer, self.language = matcher, analyzer, language
        self.seen: dict[str, bool] = {}

    def __call__(self, word: str) -> bool:
        found = self.seen.get(word)
        if found is None:
            found = self.seen[word] = self.matcher.matches(word, self.analyzer, self.language)
        return found


def highlight(
    text: str,
    matcher: Matcher,
    analyzer: BaseAnalyzer,
    language: str = "fi",
) -> SafeString:
    """The whole (short) text with matched words in ``<mark>`` (those in its first
    ``MAX_SCAN`` characters: a title is far shorter)."""
    marked = _Marks(matcher, analyzer, language)
    return _render(text, [(s, e) for w, s, e in tokenize(text[:MAX_SCAN]) if marked(w)])


def snippet(
    text: str,
    matcher: Matcher,
    analyzer: BaseAnalyzer,
    language: str = "fi",
) -> SafeString:
    """The sentence with the most matched words (cut to about 32 words), marked.

    Only the first ``MAX_SCAN`` characters are considered, and of each sentence its first
    ``MAX_SENTENCE``: the cost is bounded however long the text is.
    """
    if not text:
        return mark_safe("")
    cut = len(text) > MAX_SCAN
    text = text[:MAX_SCAN]
    marked = _Marks(matcher, analyzer, language)
    best: tuple[int, list[tuple[str, int, int]], list[int], bool] | None = None
    for start, stop in _sentences(text):
        clipped = stop - start > MAX_SENTENCE
        sentence = text[start : min(stop, start + MAX_SENTENCE)]
        words = [(w, start + s, start + e) for w, s, e in tokenize(sentence)]
        if not words:
            continue
        hits = [i for i, (w, _s, _e) in enumerate(words) if marked(w)]
        distinct = len({words[i][0].lower() for i in hits})
        if best is None or distinct > best[0]:
            best = (distinct, words, hits, clipped or (cut and stop == len(text)))
    if best is None:
        return mark_safe("")
    _distinct, words, hits, continues = best
    first = 0
    if len(words) > MAX_WORDS and hits:
        first = max(0, min(hits[0] - 4, len(words) - MAX_WORDS))
    window = words[first : first + MAX_WORDS]
    begin = window[0][1] if first else _sentence_start(text, window[0][1])
    end = window[-1][2]
    at_end = first + MAX_WORDS >= len(words)
    if at_end:
        end = _sentence_end(text, end)
    in_window = set(hits)
    marks = [
        (s - begin, e - begin) for i, (_w, s, e) in enumerate(window, start=first) if i in in_window
    ]
    html = _render(text[begin:end], marks)
    prefix = "… " if first else ""
    suffix = " …" if not at_end or continues else ""
    return mark_safe(prefix + html + suffix)  # noqa: S308 - parts escaped in _render


def _sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text`` (split as ``_SENTENCE_END`` says)."""
    spans = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


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
