"""Turns Finnish (and Swedish, English) text into the lexemes the search index stores.

PostgreSQL does no language work here: every lexeme is made in Python and matched with
the ``simple`` configuration, so the embedded PostgreSQL 18 and the PostgreSQL 15
server behave the same.

Two Finnish backends:

* ``voikko`` (libvoikko + voikko-fi from Debian): for each word every lemma
  (omaishoidon → omaishoito, tuen → tuki/tukea), and for compounds their parts split at
  Voikko's morpheme boundaries (lastensuojeluilmoitus → lapsi, suojelu, ilmoitus) plus
  the multi-part spans (lastensuojelu, suojeluilmoitus).
* ``snowball`` (PyStemmer): the Finnish Snowball stem. No compound splitting and no
  consonant gradation; queries lean on prefix matching. Used where libvoikko cannot load.

Swedish and English text is stemmed with Snowball into lexemes prefixed ``sv:`` and
``en:`` so that they share one tsvector with the Finnish ones without colliding.

``get_analyzer()`` picks the backend from ``settings.NEUVOKAS_SEARCH_ANALYZER``
(``auto``, ``voikko`` or ``snowball``); tests ask for a backend by name.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from typing import Protocol

import Stemmer
from django.conf import settings

logger = logging.getLogger(__name__)

# A word: letters/digits, joined by inner hyphens or an abbreviation colon (MLL:n).
_WORD_RE = re.compile(r"\w+(?:[-:'’]\w+)*")
MIN_PART = 3  # shorter compound parts (yö, pa) are too ambiguous to index alone
MAX_WORD = 60

# Word classes Voikko marks that carry no topic: conjunctions, negation, pronouns,
# interjections. "olla" (to be) is the one verb that never helps.
_STOP_CLASSES = {"sidesana", "kieltosana", "asemosana", "huudahdussana"}
_STOP_LEMMAS = {"olla"}
# The same stop words for the Snowball backend (surface forms and their stems).
_FI_STOPWORDS = {
    "ja",
    "tai",
    "sekä",
    "että",
    "mutta",
    "kun",
    "jos",
    "koska",
    "vaikka",
    "kuin",
    "eli",
    "ei",
    "eikä",
    "en",
    "et",
    "emme",
    "ette",
    "eivät",
    "ole",
    "on",
    "oli",
    "olla",
    "ovat",
    "olen",
    "olet",
    "olemme",
    "olette",
    "olisi",
    "ollut",
    "se",
    "sen",
    "sitä",
    "siitä",
    "siihen",
    "sille",
    "ne",
    "niiden",
    "niitä",
    "joka",
    "jonka",
    "jota",
    "jossa",
    "joiden",
    "jotka",
    "mikä",
    "mitä",
    "minkä",
    "missä",
    "mihin",
    "kuka",
    "kenen",
    "hän",
    "hänen",
    "häntä",
    "he",
    "heidän",
    "minä",
    "sinä",
    "me",
    "te",
    "tämä",
    "tämän",
    "tätä",
    "tässä",
    "nämä",
    "näiden",
    "tuo",
    "nuo",
    "itse",
    "oma",
    "myös",
    "vain",
    "nyt",
}
_SV_STOPWORDS = {
    "och",
    "i",
    "att",
    "det",
    "som",
    "en",
    "ett",
    "på",
    "är",
    "av",
    "för",
    "med",
    "till",
    "den",
    "har",
    "de",
    "inte",
    "om",
    "så",
    "men",
    "du",
    "vi",
    "han",
    "hon",
    "eller",
}
_EN_STOPWORDS = {
    "the",
    "a",
    "an",
    "and",
    "or",
    "of",
    "to",
    "in",
    "on",
    "for",
    "is",
    "are",
    "with",
    "by",
    "at",
    "be",
    "it",
    "as",
    "from",
    "not",
    "no",
}
LANGUAGE_PREFIX = {"fi": "", "sv": "sv:", "en": "en:"}
ROOT_PREFIX = "r:"
_WORDBASE_RE = re.compile(r"\+([^+(]*)(?:\(([^)]*)\))?")


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").replace("’", "'")


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Words with their offsets in ``text``: ``[(word, start, end), …]``."""
    out = []
    for m in _WORD_RE.finditer(normalise(text)):
        word = m.group(0)
        if ":" in word:  # MLL:n, EU:n → the abbreviation itself
            word = word.split(":", 1)[0]
        word = word.strip("'-")
        if word and len(word) <= MAX_WORD and not word.isdigit():
            out.append((word, m.start(), m.start() + len(word)))
    return out


@dataclass(frozen=True)
class WordAnalysis:
    """What one word contributes: whole-word lemmas, compound parts, and spans."""

    surface: str
    lemmas: tuple[str, ...]
    parts: tuple[str, ...] = ()
    spans: tuple[str, ...] = ()
    known: bool = True
    stop: bool = False
    stem: str = ""  # a Snowball stem, for prefix matching of unknown words
    roots: tuple[str, ...] = ()  # derivational bases other than the lemma (käyttö → käyttää)
    # One tuple of parts per reading of a compound, for "all parts" queries:
    # vanhainkoti → (vanha, koti) and (vanha, kota).
    compounds: tuple[tuple[str, ...], ...] = ()

    @property
    def lexemes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.lemmas, *self.spans, *self.parts)))

    @property
    def root_lexemes(self) -> tuple[str, ...]:
        """Index lexemes linking derived words to their base: ``r:käyttää`` for käyttö."""
        return tuple(ROOT_PREFIX + r for r in self.roots)

    @property
    def primary(self) -> str:
        return self.lemmas[0] if self.lemmas else self.surface


@dataclass
class FieldLexemes:
    """Lexemes of one text: whole-word lemmas (strong) and compound parts (weaker)."""

    words: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)


class _Stemmer(Protocol):
    """What is used of PyStemmer's ``Stemmer`` (the C extension ships no types)."""

    def stemWord(self, word: str) -> str: ...


class _Voikko(Protocol):
    """What is used of ``libvoikko.Voikko`` (no types shipped)."""

    def analyze(self, word: str) -> list[dict[str, str]]: ...


class BaseAnalyzer:
    name = "base"
    version = 1

    def __init__(self) -> None:
        self._sv: _Stemmer = Stemmer.Stemmer("swedish")
        self._en: _Stemmer = Stemmer.Stemmer("english")
        self._fi_stem: _Stemmer = Stemmer.Stemmer("finnish")
        self._lock = threading.Lock()

    # -- Finnish ---------------------------------------------------------------
    def analyze_word(self, word: str) -> WordAnalysis:
        raise NotImplementedError

    def fi_stem(self, word: str) -> str:
        return self._fi_stem.stemWord(word.lower())

    # -- other languages -------------------------------------------------------
    @functools.lru_cache(maxsize=50_000)  # noqa: B019 - analyzers live for the process
    def other_word(self, word: str, language: str) -> str:
        lower = word.lower()
        if language == "sv":
            if lower in _SV_STOPWORDS:
                return ""
            return "sv:" + self._sv.stemWord(lower)
        if lower in _EN_STOPWORDS:
            return ""
        return "en:" + self._en.stemWord(lower)

    # -- texts -----------------------------------------------------------------
    def analyze_text(self, text: str, language: str = "fi") -> FieldLexemes:
        out = FieldLexemes()
        for word, _start, _end in tokenize(text):
            if language == "fi":
                a = self.analyze_word(word)
                if a.stop:
                    continue
                out.words.extend(a.lemmas)
                out.words.extend(a.spans)
                out.parts.extend(a.parts)
                out.parts.extend(a.root_lexemes)
            else:
                lexeme = self.other_word(word, language)
                if lexeme:
                    out.words.append(lexeme)
        return out

    def analyze_positions(
        self,
        text: str,
        language: str = "fi",
    ) -> tuple[list[tuple[int, tuple[str, ...], tuple[str, ...]]], int]:
        """``([(word index, whole-word lexemes, part lexemes), …], number of words)``;
        stop words are left out but still counted, so that distances stay true."""
        out: list[tuple[int, tuple[str, ...], tuple[str, ...]]] = []
        tokens = tokenize(text)
        for index, (word, _start, _end) in enumerate(tokens):
            if language == "fi":
                a = self.analyze_word(word)
                if not a.stop:
                    out.append((index, (*a.lemmas, *a.spans), (*a.parts, *a.root_lexemes)))
            else:
                lexeme = self.other_word(word, language)
                if lexeme:
                    out.append((index, (lexeme,), ()))
        return out, len(tokens)

    def word_lexemes(self, word: str, language: str = "fi") -> tuple[str, ...]:
        """Every lexeme a surface word is indexed under (used for highlighting)."""
        if language == "fi":
            a = self.analyze_word(word)
            return () if a.stop else a.lexemes
        lexeme = self.other_word(word, language)
        return (lexeme,) if lexeme else ()


class SnowballAnalyzer(BaseAnalyzer):
    """Finnish Snowball stems: no gradation, no compounds. The degraded backend."""

    name = "snowball"

    @functools.lru_cache(maxsize=200_000)  # noqa: B019
    def analyze_word(self, word: str) -> WordAnalysis:
        lower = word.lower()
        if lower in _FI_STOPWORDS:
            return WordAnalysis(lower, (), stop=True)
        pieces = [p for p in lower.split("-") if p]
        stems = [self.fi_stem(p) for p in pieces]
        lemmas = [self.fi_stem(lower.replace("-", ""))] if len(pieces) > 1 else stems[:1]
        parts = tuple(s for s in stems if len(s) >= MIN_PART) if len(pieces) > 1 else ()
        return WordAnalysis(
            lower,
            tuple(dict.fromkeys(lemmas)),
            parts=parts,
            known=False,
            stem=lemmas[0] if lemmas else lower,
            compounds=(parts,) if len(parts) > 1 else (),
        )


class VoikkoAnalyzer(BaseAnalyzer):
    """Lemmas and compound parts from libvoikko."""

    name = "voikko"

    def __init__(self) -> None:
        super().__init__()
        import libvoikko

        self._voikko: _Voikko = libvoikko.Voikko("fi")

    def _analyze(self, word: str) -> list[dict[str, str]]:
        with self._lock:
            return self._voikko.analyze(word)

    @functools.lru_cache(maxsize=100_000)  # noqa: B019
    def _lemmas_of(self, word: str) -> tuple[str, ...]:
        """Lemmas of a compound member on its own (lasten → lapsi, hoidon → hoito).

        A member that is already a base form stays as it is (tuki, not tukea; vapaa,
        not vapa); otherwise nouns and adjectives come before verbs.
        """
        analyses = self._analyze(word)
        found = [a.get("BASEFORM", "").lower() for a in analyses]
        if word in found:
            return (word,)
        if not analyses and word.endswith("is") and len(word) > 4:
            # The compound form of -nen words: omais(hoito) ← omainen, asumis ← asuminen.
            nen = word[:-1] + "nen"
            if any(a.get("BASEFORM", "").lower() == nen for a in self._analyze(nen)):
                return (word, nen)
        nominal = [a.get("BASEFORM", "").lower() for a in analyses if a.get("CLASS") != "teonsana"]
        return tuple(dict.fromkeys(f for f in (*nominal, *found) if f))

    @functools.lru_cache(maxsize=200_000)  # noqa: B019
    def analyze_word(self, word: str) -> WordAnalysis:
        lower = word.lower()
        analyses = self._analyze(word) or (self._analyze(lower) if word != lower else [])
        if not analyses:
            return self._unknown(lower)
        if all(
            a.get("CLASS") in _STOP_CLASSES or a.get("BASEFORM") in _STOP_LEMMAS for a in analyses
        ):
            return WordAnalysis(lower, (), stop=True)
        lemmas = tuple(dict.fromkeys(a["BASEFORM"].lower() for a in analyses if a.get("BASEFORM")))
        # Compound structure: the analyses with the fewest splits (kokonais|valtainen,
        # not koko|nais|valtainen).
        splits = [(_boundaries(a.get("STRUCTURE", ""), lower), a) for a in analyses]
        fewest = min(len(b) for b, _ in splits)
        parts: list[str] = []
        spans: list[str] = []
        compounds: list[tuple[str, ...]] = []
        if fewest:
            for bounds, a in splits:
                if len(bounds) != fewest:
                    continue
                canonical, variants, s = self._decompound(lower, bounds, a["BASEFORM"].lower())
                parts.extend(canonical)
                parts.extend(variants)
                spans.extend(s)
                if len(canonical) > 1 and tuple(canonical) not in compounds:
                    compounds.append(tuple(canonical))
        lemma_set = set(lemmas)
        parts = [p for p in dict.fromkeys(parts) if p not in lemma_set]
        spans = [s for s in dict.fromkeys(spans) if s not in lemma_set and s not in parts]
        roots: list[str] = []
        for bounds, a in splits:
            if len(bounds) == fewest:
                roots.extend(_derivational_bases(a.get("WORDBASES", "")))
        taken = lemma_set | set(parts) | set(spans)
        roots = [r for r in dict.fromkeys(roots) if r not in taken and len(r) >= MIN_PART]
        return WordAnalysis(
            lower,
            lemmas,
            parts=tuple(parts),
            spans=tuple(spans),
            stem=self.fi_stem(lower),
            roots=tuple(roots),
            compounds=tuple(compounds),
        )

    def _unknown(self, lower: str) -> WordAnalysis:
        """A word Voikko does not know: hyphenated pieces analysed one by one, else the
        surface form plus its Snowball stem."""
        pieces = [p for p in re.split(r"-+", lower) if p]
        if len(pieces) > 1:
            parts: list[str] = []
            for p in pieces:
                sub = self.analyze_word(p)
                parts.extend(sub.lemmas if sub.lemmas else (p,))
            parts = [p for p in dict.fromkeys(parts) if len(p) >= MIN_PART and p != lower]
            return WordAnalysis(
                lower,
                (lower,),
                parts=tuple(parts),
                known=False,
                stem=lower,
                compounds=(tuple(parts),) if len(parts) > 1 else (),
            )
        stem = self.fi_stem(lower)
        return WordAnalysis(lower, (lower,), known=False, stem=stem)

    def _decompound(
        self,
        lower: str,
        bounds: list[int],
        baseform: str,
    ) -> tuple[list[str], list[str], list[str]]:
        """Parts (one per member), other readings of members, and multi-part spans of a
        compound cut at ``bounds``.

        Modifiers are lemmatised on their own (lasten → lapsi; omais stays omais). The
        head is the baseform minus the modifiers' surface (tuen → tuki), so the head
        carries the inflection of the whole word.
        """
        cuts = [0, *bounds, len(lower)]
        pieces = [lower[cuts[i] : cuts[i + 1]] for i in range(len(cuts) - 1)]
        pieces = [p.strip("-") for p in pieces]
        prefix = lower[: bounds[-1]]
        head = ""
        if baseform.startswith(prefix):
            head = baseform[len(prefix) :].strip("-")
        elif baseform.replace("-", "").startswith(prefix.replace("-", "")):
            head = baseform.replace("-", "")[len(prefix.replace("-", "")) :]
        if not head:
            head_lemmas = self._lemmas_of(pieces[-1])
            head = head_lemmas[0] if head_lemmas else pieces[-1]
        parts: list[str] = []
        variants: list[str] = []
        for piece in pieces[:-1]:
            if len(piece) < MIN_PART:
                continue
            lemmas = self._lemmas_of(piece)
            parts.append(lemmas[0] if lemmas else piece)
            if len(lemmas) == 2 and lemmas[0] == piece:
                variants.append(lemmas[1])  # omais → also omainen
        if len(head) >= MIN_PART:
            parts.append(head)
        spans: list[str] = []
        # Spans of two or more pieces: modifiers as written, the head as its lemma.
        n = len(pieces)
        for i in range(n):
            for j in range(i + 2, n + 1):
                if i == 0 and j == n:
                    continue  # the whole word is already a lemma
                text = "".join(pieces[i:-1]) + head if j == n else "".join(pieces[i:j])
                if len(text) >= MIN_PART + 2:
                    spans.append(text)
        return parts, variants, spans


def _derivational_bases(wordbases: str) -> list[str]:
    """Bases Voikko names in WORDBASES: ``+käyt(käyttää)+tö(+tö)`` → [käyttää]."""
    out = []
    for _morph, base in _WORDBASE_RE.findall(wordbases or ""):
        if base and not base.startswith("+"):
            out.append(base.replace("=", "").lower())
    return out


def _boundaries(structure: str, surface: str) -> list[int]:
    """Indexes in ``surface`` where Voikko's STRUCTURE starts a new compound member."""
    bounds: list[int] = []
    i = 0
    for ch in structure:
        if ch == "=":
            if 0 < i < len(surface):
                bounds.append(i)
            continue
        i += 1
    # A hyphen boundary ("ruoka-apu": "=ppppp-=ppp") puts the cut after the hyphen.
    return sorted(set(bounds))


_ANALYZERS: dict[str, BaseAnalyzer] = {}
_ANALYZER_LOCK = threading.Lock()


def voikko_available() -> bool:
    try:
        get_analyzer("voikko")
    except Exception:
        return False
    return True


def get_analyzer(name: str | None = None) -> BaseAnalyzer:
    """The analyzer ``name`` (``voikko``/``snowball``), or the configured one.

    ``auto`` (the default) takes Voikko when libvoikko and the Finnish dictionary load,
    and otherwise Snowball, logging a warning once.
    """
    wanted = name or str(getattr(settings, "NEUVOKAS_SEARCH_ANALYZER", "auto"))
    with _ANALYZER_LOCK:
        if wanted in _ANALYZERS:
            return _ANALYZERS[wanted]
        if wanted == "snowball":
            analyzer: BaseAnalyzer = SnowballAnalyzer()
        elif wanted == "voikko":
            analyzer = VoikkoAnalyzer()
        else:
            try:
                analyzer = _ANALYZERS.get("voikko") or VoikkoAnalyzer()
            except Exception as exc:
                logger.warning(
                    "libvoikko unavailable (%s); Finnish search is degraded to Snowball stemming",
                    exc,
                )
                analyzer = _ANALYZERS.get("snowball") or SnowballAnalyzer()
            _ANALYZERS[analyzer.name] = analyzer
        _ANALYZERS[wanted] = analyzer
        return analyzer


def analyzer_label(analyzer: BaseAnalyzer) -> str:
    return f"{analyzer.name}-{analyzer.version}"
