"""From the words an advisor typed to one ranked SQL query.

Every query word becomes a *term* with alternatives, each with a factor:

* its lemmas and its surface form (``kotkassa`` → kotka) — 1.0;
* for a compound, all its parts together (omais & hoito & tuki) — 0.8, and its
  multi-part spans or single parts alone — lower;
* synonyms from the editors' groups — 0.9;
* for a word the index does not have, its nearest words in the lexicon by trigram
  similarity (``lastensuojeluilmotus`` → lastensuojeluilmoitus) — 0.7 at most;
* for a word Voikko does not know, its Snowball stem as a prefix;
* Swedish and English stems (``färdtjänst`` → sv:färdtjänst);
* a municipality name (``kouvolassa``), which any document available there satisfies.

A document earns, per term, the best of ``factor × idf × weight class`` over the
alternatives it contains, where the weight class is 1.0 for title and keywords (A),
0.7 for summary and title compound parts (B), 0.4 for the body (C) and 0.25 for
details (D); ``idf`` makes rare words count more than common ones. Terms are OR-ed, so a
colloquial query still finds the page that has most of its words, but pages with every
word come first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .analyzer import ROOT_PREFIX, BaseAnalyzer, WordAnalysis, tokenize
from .text import quote_lexeme

CLASS_VALUES = {"A": 1.0, "B": 0.7, "C": 0.4, "D": 0.25}
F_EXACT = 1.0
F_SYNONYM = 0.9
F_OTHER_LANGUAGE = 0.9
F_ALL_PARTS = 0.8
F_SPAN = 0.6
F_PART = 0.3
F_ROOT = 0.4
F_TYPO = 0.75
F_NEIGHBOUR = 0.75
F_STEM_PREFIX = 0.7
F_PLACE = 0.35  # a place word satisfied only by availability, not by the text
MIN_SIMILARITY = 0.4
MAX_TERMS = 8


@dataclass
class Alt:
    lexemes: tuple[str, ...]  # AND-ed
    factor: float
    prefix: bool = False
    kind: str = "exact"
    df: int | None = None

    def tsquery(self, weights: str = "") -> str:
        modifiers = ("*" if self.prefix else "") + weights
        suffix = ":" + modifiers if modifiers else ""
        items = [quote_lexeme(lex) + suffix for lex in self.lexemes]
        return items[0] if len(items) == 1 else "(" + " & ".join(items) + ")"


@dataclass
class Term:
    word: str
    analysis: WordAnalysis | None
    alts: list[Alt] = field(default_factory=list)
    places: list[str] = field(default_factory=list)  # municipality codes
    correction: str = ""


@dataclass
class Lookup:
    """What the first query found out about the words (see selectors)."""

    n_docs: int = 0
    df: dict[str, int] = field(default_factory=dict)
    prefix_df: dict[str, int] = field(default_factory=dict)
    fuzzy: dict[str, list[tuple[str, float, int]]] = field(default_factory=dict)
    synonyms: dict[str, list[tuple[tuple[str, ...], int]]] = field(default_factory=dict)
    places: dict[str, list[str]] = field(default_factory=dict)  # lemma -> codes


@dataclass
class Words:
    """The query's words and every string the lookup query needs."""

    terms: list[Term]
    exact: set[str]
    prefixes: set[str]
    fuzzy: set[str]
    synonym_keys: set[str]


def parse(query: str, analyzer: BaseAnalyzer) -> Words:
    tokens = [w for w, _s, _e in tokenize(query)][:MAX_TERMS * 2]
    analyses = [(w, analyzer.analyze_word(w)) for w in tokens]
    content = [(w, a) for w, a in analyses if not a.stop]
    if not content:  # only stop words: search them as they are
        content = [(w, WordAnalysis(w.lower(), (w.lower(),), known=False, stem=w.lower()))
                   for w, _a in analyses]
    content = content[:MAX_TERMS]
    terms = [Term(word=w, analysis=a) for w, a in content]
    exact: set[str] = set()
    prefixes: set[str] = set()
    fuzzy: set[str] = set()
    keys: set[str] = set()
    for term in terms:
        a = term.analysis
        assert a is not None
        exact.update(a.lemmas)
        exact.add(a.surface)
        exact.update(a.parts)
        exact.update(a.spans)
        exact.update(_root_alternatives(a))
        for lang in ("sv", "en"):
            other = analyzer.other_word(term.word, lang)
            if other:
                exact.add(other)
                if len(other) >= 7:
                    prefixes.add(other)
        if not a.known and len(a.stem) >= 4:
            prefixes.add(a.stem)
        fuzzy.update(a.lemmas)
        fuzzy.update(p for p in a.parts if len(p) >= 4)
        keys.update(a.lemmas)
        keys.add(a.surface)
    # Multi-word synonym members match consecutive words by their primary lemmas.
    primaries = [t.analysis.primary for t in terms if t.analysis]
    for size in (2, 3):
        for i in range(len(primaries) - size + 1):
            keys.add(" ".join(primaries[i:i + size]))
    return Words(terms, exact, prefixes, fuzzy, keys)


def _root_alternatives(a: WordAnalysis) -> list[str]:
    if not a.known:
        return []
    return [*(ROOT_PREFIX + lemma for lemma in a.lemmas),
            *(ROOT_PREFIX + r for r in a.roots), *a.roots]


def idf(df: int | None, n_docs: int) -> float:
    n = max(n_docs, 1)
    d = min(max(df or 0, 0), n)
    return math.log(1.0 + (n - d + 0.5) / (d + 0.5))


def plan(words: Words, lookup: Lookup, analyzer: BaseAnalyzer, language: str) -> list[Term]:
    """Fill each term's alternatives from what the lookup found."""
    df = lookup.df
    for term in words.terms:
        a = term.analysis
        assert a is not None
        alts: list[Alt] = []
        exact = [w for w in dict.fromkeys((*a.lemmas, a.surface)) if df.get(w, 0) > 0]
        for w in exact:
            alts.append(Alt((w,), F_EXACT, df=df[w]))
        parts = [p for p in a.parts if len(p) >= 3]
        parts_known = bool(parts) and all(df.get(p, 0) > 0 for p in parts)
        # A compound: all its (lemmatised) parts, and any span or part alone.
        if len(parts) > 1 and parts_known:
            alts.append(Alt(tuple(parts), F_ALL_PARTS, kind="parts",
                            df=min(df[p] for p in parts)))
        for s in a.spans:
            if df.get(s, 0) > 0:
                alts.append(Alt((s,), F_SPAN, kind="span", df=df[s]))
        if len(parts) > 1:
            for p in parts:
                if df.get(p, 0) > 0:
                    alts.append(Alt((p,), F_PART, kind="part", df=df[p]))
        # Derived words of the same base (raskaana ~ raskausaikana, käyttää ~ käyttö).
        for r in _root_alternatives(a):
            if df.get(r, 0) > 0:
                alts.append(Alt((r,), F_ROOT, kind="root", df=df[r]))
        # Other languages' stems.
        for lang in ("sv", "en"):
            other = analyzer.other_word(term.word, lang)
            if not other:
                continue
            factor = F_EXACT if lang == language else F_OTHER_LANGUAGE
            if df.get(other, 0) > 0:
                alts.append(Alt((other,), factor, kind=lang, df=df[other]))
            elif lookup.prefix_df.get(other, 0) > 0:
                alts.append(Alt((other,), factor * 0.85, prefix=True, kind=lang,
                                df=lookup.prefix_df[other]))
        # A word Voikko does not know (or the Snowball backend): its stem as a prefix.
        if not a.known and lookup.prefix_df.get(a.stem, 0) > 0:
            alts.append(Alt((a.stem,), F_STEM_PREFIX if exact else F_EXACT * 0.9,
                            prefix=True, kind="stem", df=lookup.prefix_df[a.stem]))
        # Editors' synonyms.
        for key in (*a.lemmas, a.surface):
            for lexemes, syn_df in lookup.synonyms.get(key, []):
                if syn_df > 0:
                    alts.append(Alt(lexemes, F_SYNONYM, kind="synonym", df=syn_df))
        # Typos: nothing in the index matched the word itself.
        found_directly = bool(exact) or parts_known or any(x.kind in ("stem", "sv", "en")
                                                           for x in alts)
        if not found_directly:
            best: tuple[str, float, int] | None = None
            for lemma in a.lemmas:
                for word, sim, wdf in lookup.fuzzy.get(lemma, []):
                    if sim >= MIN_SIMILARITY and (best is None or sim > best[1]):
                        best = (word, sim, wdf)
            if best is not None:
                # A word Voikko does not know is most likely mistyped; a real word that
                # the index lacks (holhooja) only borrows a little from its neighbour.
                factor = F_TYPO if not a.known else F_NEIGHBOUR
                alts.append(Alt((best[0],), factor * min(1.0, best[1] / 0.7), kind="typo",
                                df=best[2]))
                if not a.known:
                    term.correction = best[0]
            # A compound with one mistyped part (omaishoidon|tukki): fix that part.
            if len(parts) > 1:
                fixed: list[str] = []
                for p in parts:
                    if df.get(p, 0) > 0:
                        fixed.append(p)
                        continue
                    near = [x for x in lookup.fuzzy.get(p, []) if x[1] >= MIN_SIMILARITY]
                    if not near:
                        fixed = []
                        break
                    fixed.append(max(near, key=lambda x: x[1])[0])
                if fixed:
                    alts.append(Alt(tuple(fixed), F_TYPO, kind="typo",
                                    df=min(df.get(p) or _fuzzy_df(lookup, p) for p in fixed)))
                    term.correction = term.correction or " ".join(fixed)
        # Synonym phrases spanning this and the next words are attached to every word.
        term.alts = _dedupe(alts)
        for key in (*a.lemmas, a.surface):
            term.places.extend(lookup.places.get(key, []))
    _attach_phrase_synonyms(words.terms, lookup)
    return [t for t in words.terms if t.alts or t.places]


def _fuzzy_df(lookup: Lookup, word: str) -> int:
    for near in lookup.fuzzy.values():
        for w, _sim, wdf in near:
            if w == word:
                return wdf
    return 1


def _attach_phrase_synonyms(terms: list[Term], lookup: Lookup) -> None:
    primaries = [t.analysis.primary if t.analysis else t.word for t in terms]
    for size in (3, 2):
        for i in range(len(terms) - size + 1):
            key = " ".join(primaries[i:i + size])
            for lexemes, syn_df in lookup.synonyms.get(key, []):
                if syn_df <= 0:
                    continue
                for term in terms[i:i + size]:
                    term.alts.append(Alt(lexemes, F_SYNONYM, kind="synonym", df=syn_df))


def _dedupe(alts: list[Alt]) -> list[Alt]:
    best: dict[tuple[tuple[str, ...], bool], Alt] = {}
    for alt in alts:
        k = (alt.lexemes, alt.prefix)
        if k not in best or alt.factor > best[k].factor:
            best[k] = alt
    return list(best.values())


@dataclass
class CompiledQuery:
    filter_tsquery: str
    score_sql: str
    params: list[object]


def compile_terms(terms: list[Term], n_docs: int) -> CompiledQuery | None:
    """The WHERE filter (any alternative) and the score expression over ``d.vector``."""
    filter_items: list[str] = []
    term_sqls: list[str] = []
    params: list[object] = []
    for term in terms:
        pieces: list[str] = []
        for alt in term.alts:
            q = alt.tsquery()
            filter_items.append(q)
            weight = alt.factor * idf(alt.df, n_docs)
            pieces.append(
                f"{weight:.5f} * (CASE WHEN NOT (d.vector @@ %s::tsquery) THEN 0 "
                f"WHEN d.vector @@ %s::tsquery THEN {CLASS_VALUES['A']} "
                f"WHEN d.vector @@ %s::tsquery THEN {CLASS_VALUES['B']} "
                f"WHEN d.vector @@ %s::tsquery THEN {CLASS_VALUES['C']} "
                f"ELSE {CLASS_VALUES['D']} END)"
            )
            params.extend([q, alt.tsquery("A"), alt.tsquery("AB"), alt.tsquery("ABC")])
        if term.places:
            place_df = n_docs // 2  # a place word is about as telling as a common word
            weight = F_PLACE * idf(place_df, n_docs)
            pieces.append(
                f"{weight:.5f} * (CASE WHEN cardinality(d.municipalities) = 0 "
                "OR d.municipalities && %s::varchar[] THEN 1 ELSE 0 END)"
            )
            params.append(sorted(set(term.places)))
        if pieces:
            term_sqls.append(pieces[0] if len(pieces) == 1 else "GREATEST(" + ", ".join(pieces) + ")")
    # Words of the query that stand close together in a text (nuoria … kotona).
    for i, j, weight in _pairs(terms, n_docs):
        term_sqls.append(f"{weight:.5f} * (d.vector @@ %s::tsquery)::int")
        params.append(_near(terms[i], terms[j]))
    if not filter_items:
        return None
    filter_tsquery = " | ".join(dict.fromkeys(filter_items))
    return CompiledQuery(filter_tsquery, " + ".join(term_sqls), params)


PROXIMITY = 0.4
NEAR_WORDS = 8
_NEAR_KINDS = {"exact", "typo", "stem", "sv", "en", "span", "synonym"}


def _core(term: Term) -> list[Alt]:
    return [a for a in term.alts if a.kind in _NEAR_KINDS and len(a.lexemes) == 1]


def _pairs(terms: list[Term], n_docs: int) -> list[tuple[int, int, float]]:
    out = []
    for i in range(len(terms)):
        for j in range(i + 1, len(terms)):
            a, b = _core(terms[i]), _core(terms[j])
            if a and b:
                wa = max(x.factor * idf(x.df, n_docs) for x in a)
                wb = max(x.factor * idf(x.df, n_docs) for x in b)
                out.append((i, j, PROXIMITY * min(wa, wb)))
    return out


def _near(first: Term, second: Term) -> str:
    def group(term: Term) -> str:
        items = [a.tsquery() for a in _core(term)]
        return items[0] if len(items) == 1 else "(" + " | ".join(items) + ")"

    a, b = group(first), group(second)
    return " | ".join(f"({x} <{n}> {y})" for n in range(1, NEAR_WORDS + 1)
                      for x, y in ((a, b), (b, a)))
