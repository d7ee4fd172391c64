"""From the words an advisor typed to one ranked SQL query.

Every query word becomes a *term* with alternatives, each with a factor:

* its lemmas and its surface form (``kotkassa`` → kotka) — 1.0;
* for a compound, all its parts together (omais & hoito & tuki) — 0.8, and its
  multi-part spans (0.6) or single parts (0.3);
* words of the same derivational base (käyttää ~ käyttö, raskaana ~ raskausaika) —
  0.9, like a synonym: a derived word mostly means the same thing to a searcher;
* synonyms from the editors' groups — 0.9;
* for a word the index does not have, its nearest word in the lexicon by trigram
  similarity (``lastensuojeluilmotus`` → lastensuojeluilmoitus) — up to 0.75, or as
  much as a word of the same base when a real word and its neighbour share a stem
  (``holhooja`` ~ holhous);
* for a word Voikko does not know, its Snowball stem as a prefix;
* Swedish and English stems (``färdtjänst`` → sv:färdtjänst);
* a municipality name (``kouvolassa``), which any document available there satisfies.

A document earns, per term, the best ``factor × idf × weight class`` over the
alternatives it contains; the weight class is 1.0 for title and keywords (A), 0.7 for
summary and parts of title compounds (B), 0.4 for the body (C), 0.25 for details (D);
``idf`` makes rare words count more than common ones. Terms are OR-ed, so a colloquial
query still finds the page with most of its words, pages with every word come first,
and words of the query standing close together in a text earn a little more.

The query runs in two passes inside one SQL statement. The first collects candidates
from the GIN indexes only (no document is opened): documents whose title or keywords
(``head``) have a term, and documents that have a rare term anywhere. Common words
search the head only, within budgets set from the lexicon's document frequencies, so
the work stays bounded however large the index grows. The best candidates by that
rough score are then scored exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from .analyzer import ROOT_PREFIX, BaseAnalyzer, WordAnalysis, tokenize
from .text import quote_lexeme

CLASS_VALUES = {"A": 1.0, "B": 0.7, "C": 0.4, "D": 0.25}
F_EXACT = 1.0
F_SYNONYM = 0.9
F_OTHER_LANGUAGE = 0.9
F_ALL_PARTS = 0.8
F_SPAN = 0.6
F_ROOT = 0.9
SHARED_STEM = 5  # letters a real word shares with an indexed word of its family
F_PART = 0.3
F_TYPO = 0.75
F_STEM_PREFIX = 0.7
F_TYPING = 0.9
F_PLACE = 0.35  # a place word satisfied by availability alone, not by the text
MIN_SIMILARITY = 0.4
MAX_TERMS = 8
PROXIMITY = 0.4
NEAR_WORDS = 8

# First pass: how many documents the GIN look-ups may return in all, and how many
# candidates are scored exactly.
BODY_BUDGET = 1500
HEAD_BUDGET = 1500
HEAD_CAP = 300  # a very common title word: its shortest titles only
CANDIDATES = 100
_HEAD_SEEN = 0.85  # first-pass value of a title/keyword match (between A and B)
_BODY_SEEN = CLASS_VALUES["C"]
_STRONG_KINDS = ("exact", "synonym", "typo", "sv", "en", "stem")


@dataclass
class Alt:
    lexemes: tuple[str, ...]  # AND-ed
    factor: float
    prefix: bool = False
    kind: str = "exact"
    df: int = 0
    head_df: int = 0

    def tsquery(self, weights: str = "") -> str:
        modifiers = ("*" if self.prefix else "") + weights
        suffix = ":" + modifiers if modifiers else ""
        items = [quote_lexeme(lex) + suffix for lex in self.lexemes]
        return items[0] if len(items) == 1 else "(" + " & ".join(items) + ")"


@dataclass
class Term:
    word: str
    analysis: WordAnalysis
    alts: list[Alt] = field(default_factory=list)
    places: list[str] = field(default_factory=list)  # municipality codes
    correction: str = ""
    unfinished: bool = False  # the last word of a query still being typed


@dataclass
class Lookup:
    """What the first query found out about the words (see selectors)."""

    n_docs: int = 0
    df: dict[str, tuple[int, int]] = field(default_factory=dict)  # word -> (df, head_df)
    prefix_df: dict[str, tuple[int, int]] = field(default_factory=dict)
    fuzzy: dict[str, list[tuple[str, float, int, int]]] = field(default_factory=dict)
    synonyms: dict[str, list[tuple[tuple[str, ...], int, int]]] = field(default_factory=dict)
    places: dict[str, list[str]] = field(default_factory=dict)  # lemma -> codes
    vector_version: int = 0  # SearchVectorState: 0 while no vector was ever stored

    def has(self, word: str) -> bool:
        return self.df.get(word, (0, 0))[0] > 0

    def alt(self, lexemes: tuple[str, ...], factor: float, kind: str) -> Alt:
        found = [self.df.get(w, (0, 0)) for w in lexemes]
        return Alt(
            lexemes,
            factor,
            kind=kind,
            df=min(f[0] for f in found),
            head_df=min(f[1] for f in found),
        )


@dataclass
class Words:
    """The query's words and every string the look-up query needs."""

    terms: list[Term]
    exact: set[str]
    prefixes: set[str]
    fuzzy: list[tuple[int, str, str]]  # (term, word, "w" whole word | "p" compound part)
    synonym_keys: set[str]
    # (term, prefix): a term is found, and needs no typo candidates, when any indexed word
    # begins with one of its prefixes (an unknown word's stem, the word being typed).
    finding_prefixes: list[tuple[int, str]] = field(default_factory=list)


def parse(query: str, analyzer: BaseAnalyzer, *, typing: bool = False) -> Words:
    """``typing``: the query is still being typed, so its last word may be unfinished
    ("omaishoitajan vap") and also matches as a prefix."""
    tokens = [w for w, _s, _e in tokenize(query)][: MAX_TERMS * 2]
    analyses = [(w, analyzer.analyze_word(w)) for w in tokens]
    content = [(w, a) for w, a in analyses if not a.stop]
    if not content:  # only stop words: search them as they are
        content = [
            (w, WordAnalysis(w.lower(), (w.lower(),), known=False, stem=w.lower()))
            for w, _a in analyses
        ]
    terms = [Term(word=w, analysis=_as_typed(a)) for w, a in content[:MAX_TERMS]]
    exact: set[str] = set()
    prefixes: set[str] = set()
    fuzzy: list[tuple[int, str, str]] = []
    finding: list[tuple[int, str]] = []
    keys: set[str] = set()
    for index, term in enumerate(terms):
        a = term.analysis
        exact.update((*a.lemmas, a.surface, *a.parts, *a.spans, *_root_alternatives(a)))
        for lang in ("sv", "en"):
            other = analyzer.other_word(term.word, lang)
            if other:
                exact.add(other)
                if len(other) >= 7:
                    prefixes.add(other)
        if not a.known and len(a.stem) >= 4:
            prefixes.add(a.stem)
            finding.append((index, a.stem))
        # Typo candidates, looked up only when neither the word nor all its parts are
        # in the index.
        fuzzy.extend((index, w, "w") for w in dict.fromkeys((*a.lemmas, a.surface)))
        for parts in a.compounds:
            fuzzy.extend((index, p, "p") for p in parts)
        keys.update((*a.lemmas, a.surface))
    if typing and terms and query[-1:].isalnum() and len(terms[-1].analysis.surface) >= 3:
        terms[-1].unfinished = True
        prefixes.add(terms[-1].analysis.surface)
        finding.append((len(terms) - 1, terms[-1].analysis.surface))
    # Multi-word synonym members match consecutive words by their primary lemmas.
    primaries = [t.analysis.primary for t in terms]
    for size in (2, 3):
        for i in range(len(primaries) - size + 1):
            keys.add(" ".join(primaries[i : i + size]))
    return Words(terms, exact, prefixes, fuzzy, keys, finding)


def _as_typed(a: WordAnalysis) -> WordAnalysis:
    """A query word typed in a base form means that word: "tuki" is support, not a form
    of tukkia (to block). Other readings are kept for inflected words (tuen)."""
    if a.surface in a.lemmas and len(a.lemmas) > 1:
        return replace(a, lemmas=(a.surface,))
    return a


def _root_alternatives(a: WordAnalysis) -> list[str]:
    if not a.known:
        return []
    return [
        *(ROOT_PREFIX + lemma for lemma in a.lemmas),
        *(ROOT_PREFIX + r for r in a.roots),
        *a.roots,
    ]


def idf(df: int | None, n_docs: int) -> float:
    n = max(n_docs, 1)
    d = min(max(df or 0, 0), n)
    return math.log(1.0 + (n - d + 0.5) / (d + 0.5))


def plan(words: Words, lookup: Lookup, analyzer: BaseAnalyzer, language: str) -> list[Term]:
    """Fill each term's alternatives from what the look-up found."""
    for term in words.terms:
        a = term.analysis
        alts: list[Alt] = []
        exact = [w for w in dict.fromkeys((*a.lemmas, a.surface)) if lookup.has(w)]
        alts.extend(lookup.alt((w,), F_EXACT, "exact") for w in exact)
        # A compound: all its parts together, or any span or part alone.
        whole_compound = False
        for parts in a.compounds:
            if all(lookup.has(p) for p in parts):
                alts.append(lookup.alt(parts, F_ALL_PARTS, "parts"))
                whole_compound = True
        alts.extend(lookup.alt((s,), F_SPAN, "span") for s in a.spans if lookup.has(s))
        if a.compounds:
            alts.extend(lookup.alt((p,), F_PART, "part") for p in a.parts if lookup.has(p))
        # Derived words of the same base (raskaana ~ raskausaikana, käyttää ~ käyttö).
        alts.extend(
            lookup.alt((r,), F_ROOT, "root") for r in _root_alternatives(a) if lookup.has(r)
        )
        # Swedish and English stems.
        for lang in ("sv", "en"):
            other = analyzer.other_word(term.word, lang)
            if not other:
                continue
            factor = F_EXACT if lang == language else F_OTHER_LANGUAGE
            if lookup.has(other):
                alts.append(lookup.alt((other,), factor, lang))
            elif lookup.prefix_df.get(other, (0, 0))[0] > 0:
                df, head_df = lookup.prefix_df[other]
                alts.append(
                    Alt((other,), factor * 0.85, prefix=True, kind=lang, df=df, head_df=head_df)
                )
        # A word Voikko does not know (or the Snowball backend): its stem as a prefix.
        if not a.known and lookup.prefix_df.get(a.stem, (0, 0))[0] > 0:
            df, head_df = lookup.prefix_df[a.stem]
            alts.append(
                Alt(
                    (a.stem,),
                    F_STEM_PREFIX if exact else F_EXACT * 0.9,
                    prefix=True,
                    kind="stem",
                    df=df,
                    head_df=head_df,
                )
            )
        # A word still being typed: the beginning of any indexed word.
        if term.unfinished and lookup.prefix_df.get(a.surface, (0, 0))[0] > 0:
            df, head_df = lookup.prefix_df[a.surface]
            alts.append(
                Alt((a.surface,), F_TYPING, prefix=True, kind="stem", df=df, head_df=head_df)
            )
        # Editors' synonyms.
        for key in (*a.lemmas, a.surface):
            for lexemes, syn_df, syn_head in lookup.synonyms.get(key, []):
                alts.append(Alt(lexemes, F_SYNONYM, kind="synonym", df=syn_df, head_df=syn_head))
        # Typos: nothing in the index matched the word itself.
        found = bool(exact) or whole_compound or any(x.kind in ("stem", "sv", "en") for x in alts)
        if not found:
            _typo_alternatives(term, lookup, alts)
        term.alts = _dedupe(alts)
        for key in (*a.lemmas, a.surface):
            term.places.extend(lookup.places.get(key, []))
    _attach_phrase_synonyms(words.terms, lookup)
    return [t for t in words.terms if t.alts or t.places]


def _typo_alternatives(term: Term, lookup: Lookup, alts: list[Alt]) -> None:
    a = term.analysis
    # The neighbour worth most: a word of the word's family (holhooja ~ holhous) even
    # below the similarity a typo needs, else the most similar one.
    best: tuple[float, float, str, int, int] | None = None
    for lemma in a.lemmas:
        for word, sim, df, head_df in lookup.fuzzy.get(lemma, []):
            factor = F_TYPO * min(1.0, sim / 0.7)
            if _same_family(a, lemma, word):
                factor = max(factor, F_ROOT)
            elif sim < MIN_SIMILARITY:
                continue
            if best is None or (factor, sim) > best[:2]:
                best = (factor, sim, word, df, head_df)
    if best is not None:
        factor, _sim, word, df, head_df = best
        alts.append(Alt((word,), factor, kind="typo", df=df, head_df=head_df))
        if not a.known:  # a real word the index lacks (holhooja) is no typo to show
            term.correction = word
    # A compound with one mistyped part (omaishoidon|tukki): fix that part.
    for parts in a.compounds:
        fixed: list[tuple[str, int, int]] = []
        for p in parts:
            if lookup.has(p):
                fixed.append((p, *lookup.df[p]))
                continue
            close = [x for x in lookup.fuzzy.get(p, []) if x[1] >= MIN_SIMILARITY]
            if not close:
                fixed = []
                break
            w, _sim, df, head_df = max(close, key=lambda x: x[1])
            fixed.append((w, df, head_df))
        if fixed:
            alts.append(
                Alt(
                    tuple(f[0] for f in fixed),
                    F_TYPO,
                    kind="typo",
                    df=min(f[1] for f in fixed),
                    head_df=min(f[2] for f in fixed),
                )
            )


def _same_family(a: WordAnalysis, lemma: str, word: str) -> bool:
    """A real word the index lacks and an indexed word that begin with the same stem
    are likely derived from one base (holhooja, holhous ← holhota), which Voikko does
    not always tell: trigram similarity undervalues them (the endings differ)."""
    return a.known and len(_common_prefix(lemma, word)) >= SHARED_STEM


def _common_prefix(first: str, second: str) -> str:
    n = 0
    for x, y in zip(first, second, strict=False):
        if x != y:
            break
        n += 1
    return first[:n]


def _attach_phrase_synonyms(terms: list[Term], lookup: Lookup) -> None:
    """A synonym of several consecutive words counts for each of them."""
    primaries = [t.analysis.primary for t in terms]
    for size in (3, 2):
        for i in range(len(terms) - size + 1):
            key = " ".join(primaries[i : i + size])
            for lexemes, syn_df, syn_head in lookup.synonyms.get(key, []):
                for term in terms[i : i + size]:
                    term.alts.append(
                        Alt(lexemes, F_SYNONYM, kind="synonym", df=syn_df, head_df=syn_head)
                    )


def _dedupe(alts: list[Alt]) -> list[Alt]:
    best: dict[tuple[tuple[str, ...], bool], Alt] = {}
    for alt in alts:
        if alt.df <= 0:
            continue
        k = (alt.lexemes, alt.prefix)
        if k not in best or alt.factor > best[k].factor:
            best[k] = alt
    return list(best.values())


# --- SQL --------------------------------------------------------------------------------


@dataclass
class Branch:
    """One GIN look-up of the first pass."""

    term: int
    column: str  # "head" or "vector"
    tsquery: str
    value: float
    capped: bool = False


@dataclass
class Compiled:
    branches: list[Branch]
    score_sql: str  # over x.v (the document's vector) and d (the row)
    score_params: list[Any]
    # The score of a document with every term's best alternative in its title (proximity
    # aside): lexical scores divided by it are comparable from one query to another.
    ideal: float = 1.0


def compile_terms(terms: list[Term], n_docs: int) -> Compiled | None:
    """The first-pass look-ups and the exact score expression."""
    branches = _branches(terms, n_docs)
    if not branches:
        return None
    term_sqls: list[str] = []
    params: list[object] = []
    ideal = 0.0
    for term in terms:
        pieces: list[str] = []
        best = 0.0
        for alt in term.alts:
            weight = alt.factor * idf(alt.df, n_docs)
            best = max(best, weight)
            pieces.append(
                f"{weight:.5f} * (CASE WHEN NOT (x.v @@ %s::tsquery) THEN 0 "
                f"WHEN x.v @@ %s::tsquery THEN {CLASS_VALUES['A']} "
                f"WHEN x.v @@ %s::tsquery THEN {CLASS_VALUES['B']} "
                f"WHEN x.v @@ %s::tsquery THEN {CLASS_VALUES['C']} "
                f"ELSE {CLASS_VALUES['D']} END)"
            )
            params.extend([alt.tsquery(), alt.tsquery("A"), alt.tsquery("AB"), alt.tsquery("ABC")])
        if term.places:
            weight = F_PLACE * idf(n_docs // 2, n_docs)  # about as telling as a common word
            best = max(best, weight)
            pieces.append(
                f"{weight:.5f} * (CASE WHEN cardinality(d.municipalities) = 0 "
                "OR d.municipalities && %s::varchar[] THEN 1 ELSE 0 END)"
            )
            params.append(sorted(set(term.places)))
        ideal += best
        if pieces:
            term_sqls.append(
                pieces[0] if len(pieces) == 1 else "GREATEST(" + ", ".join(pieces) + ")"
            )
    # Words of the query that stand close together in a text (nuoria … kotona).
    for i, j, weight in _pairs(terms, n_docs):
        term_sqls.append(f"{weight:.5f} * (x.v @@ %s::tsquery)::int")
        params.append(_near(terms[i], terms[j]))
    return Compiled(branches, " + ".join(term_sqls) or "0", params, ideal or 1.0)


def _branches(terms: list[Term], n_docs: int) -> list[Branch]:
    """Choose the first pass's look-ups: rare alternatives anywhere, common ones in the
    head only, the strongest first, within the budgets."""
    ranked = sorted(
        ((i, alt) for i, term in enumerate(terms) for alt in term.alts),
        key=lambda ia: (ia[1].kind not in _STRONG_KINDS, -ia[1].factor, ia[1].df),
    )
    body: dict[tuple[int, float], list[Alt]] = {}
    head: dict[tuple[int, float], list[Alt]] = {}
    body_left, head_left = BODY_BUDGET, HEAD_BUDGET
    covered: set[int] = set()
    capped: list[Branch] = []
    for i, alt in ranked:
        value = alt.factor * idf(alt.df, n_docs)
        if alt.df <= body_left:
            body.setdefault((i, round(value * _BODY_SEEN, 4)), []).append(alt)
            body_left -= alt.df
            covered.add(i)
        if alt.head_df <= head_left:
            if alt.head_df:
                head.setdefault((i, round(value * _HEAD_SEEN, 4)), []).append(alt)
                head_left -= alt.head_df
                covered.add(i)
        elif i not in covered and alt.kind in _STRONG_KINDS:
            # So common that only the shortest titles with it are looked at.
            capped.append(Branch(i, "head", alt.tsquery(), value * _HEAD_SEEN, capped=True))
            covered.add(i)
    out = [Branch(i, "vector", _or(alts), v) for (i, v), alts in body.items()]
    out += [Branch(i, "head", _or(alts), v) for (i, v), alts in head.items()]
    if out:
        # A selective word already brings the candidates; the very common words only
        # rank them (second pass).
        return out
    return [b for b in capped if b.term not in {o.term for o in out}]


def _or(alts: list[Alt]) -> str:
    return " | ".join(a.tsquery() for a in alts)


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
    return " | ".join(
        f"({x} <{n}> {y})" for n in range(1, NEAR_WORDS + 1) for x, y in ((a, b), (b, a))
    )
