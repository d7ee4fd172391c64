"""Reads of the search app: the ranked search itself, and API token look-up.

One search is two SQL queries whatever it finds: a look-up of the query's words (their
document frequencies, editors' synonyms, lexicon neighbours for typos, municipality
names) and the ranked query over the index (see :mod:`apps.search.query`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils.safestring import SafeString

from . import query as q
from . import registry, semantic
from .analyzer import BaseAnalyzer, get_analyzer
from .highlight import Matcher, highlight, snippet
from .models import (
    SearchDocument,
    SearchLexicon,
    SearchLog,
    SearchVectorState,
    SynonymGroup,
    SynonymTerm,
)

MAX_LIMIT = 50
# Up to this many documents, typo correction also considers words seen only once.
SMALL_INDEX = 3000


@dataclass
class Hit:
    position: int
    doc_type: str
    key: str
    url: str
    title: str
    title_html: SafeString
    snippet: SafeString
    organisation: str
    municipalities: list[str]
    score: float
    path: str = "lexical"  # which retrieval found it: SearchLog.Path
    lexical_score: float = 0.0

    @property
    def type_label(self) -> str:
        return registry.doc_type_label(self.doc_type)


@dataclass
class SearchResult:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    corrections: dict[str, str] = field(default_factory=dict)
    analyzer: str = ""
    semantic: bool = False  # the nearest documents by meaning took part

    @property
    def corrected_query(self) -> str:
        if not self.corrections:
            return ""
        words = self.query.split()
        return " ".join(self.corrections.get(w, w) for w in words)


def _places_sql() -> str:
    """The lookup's rows of place names, from the tables the sources registered."""
    qn = connection.ops.quote_name
    return "".join(
        f"""
        UNION ALL
        SELECT 'place', {qn(p.code)}, 0, 0, 0.0, concat_ws('|', {", ".join(map(qn, p.names))})
          FROM {qn(p.table)}"""  # noqa: S608 - registered names, quoted
        for p in registry.places()
    )


def _lookup(words: q.Words, analyzer: BaseAnalyzer) -> q.Lookup:
    """Everything the ranked query needs to know about the words, in one round trip:
    document frequencies, prefix frequencies, lexicon neighbours of words the index
    lacks (typos), editors' synonyms and municipality names."""
    lex = SearchLexicon._meta.db_table
    syn = SynonymTerm._meta.db_table
    grp = SynonymGroup._meta.db_table
    state = SearchVectorState._meta.db_table
    # Prefix ranges use the primary key's pattern-ops index (byte order).
    sql = f"""
        WITH fz(t, w, kind) AS (SELECT * FROM unnest(%s::int[], %s::text[], %s::text[])),
        known AS (SELECT fz.t, fz.w, fz.kind,
                         EXISTS (SELECT 1 FROM {lex} e WHERE e.word = fz.w AND e.df > 0) AS ok
                    FROM fz),
        lost AS (SELECT t FROM known GROUP BY t
                  HAVING NOT bool_or(ok AND kind = 'w')
                     AND NOT COALESCE(bool_and(ok) FILTER (WHERE kind = 'p'), false)
                  EXCEPT  -- terms found by a prefix (query.Words.finding_prefixes)
                 SELECT pf.t FROM unnest(%s::int[], %s::text[]) pf(t, p)
                  WHERE EXISTS (SELECT 1 FROM {lex} e
                                 WHERE e.word ~>=~ pf.p AND e.word ~<~ (pf.p || chr(1114111))
                                   AND e.df > 0))
        SELECT 'df', word, df, head_df, 0.0::float8, '' FROM {lex}
         WHERE word = ANY(%s::text[]) AND (df > 0 OR word = '')
        UNION ALL
        SELECT 'pre', p, COALESCE(sum(l.df), 0), COALESCE(sum(l.head_df), 0), 0.0, ''
          FROM unnest(%s::text[]) p
          LEFT JOIN LATERAL (SELECT df, head_df FROM {lex}
                              WHERE word ~>=~ p AND word ~<~ (p || chr(1114111)) AND df > 0
                              LIMIT 50) l ON true
         GROUP BY p
        UNION ALL
        SELECT 'fz', k.w, l.df, l.head_df, similarity(l.word, k.w)::float8, l.word
          FROM (SELECT DISTINCT k.w FROM known k JOIN lost USING (t)
                 WHERE NOT k.ok AND length(k.w) >= 4) k
          CROSS JOIN LATERAL (
                SELECT word, df, head_df FROM (
                    SELECT word, df, head_df FROM {lex}
                     WHERE word %% k.w AND (df >= 2 OR head_df >= 1)
                    UNION ALL  -- in a small index every word may be meant
                    SELECT word, df, head_df FROM {lex}
                     WHERE (SELECT df FROM {lex} WHERE word = '') <= {SMALL_INDEX}
                       AND df = 1 AND head_df = 0 AND word %% k.w) c
                 ORDER BY similarity(word, k.w) DESC, df DESC LIMIT 3) l
        UNION ALL
        SELECT 'syn', hit.match, COALESCE(f.df, 0), COALESCE(f.head_df, 0), 0.0,
               array_to_string(other.lexemes, ' ')
          FROM {syn} hit
          JOIN {grp} g ON g.id = hit.group_id AND g.is_active
          JOIN {syn} other ON other.group_id = hit.group_id AND other.id <> hit.id
          LEFT JOIN LATERAL (SELECT min(df) AS df, min(head_df) AS head_df, count(*) AS n
                               FROM {lex} WHERE word = ANY(other.lexemes) AND df > 0) f
            ON f.n = cardinality(other.lexemes)
         WHERE hit.match = ANY(%s::text[])
        UNION ALL
        SELECT 'vec', '', version, 0, 0.0, '' FROM {state}
        {_places_sql()}
    """  # noqa: S608 - table names only
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                [t for t, _w, _k in words.fuzzy],
                [w for _t, w, _k in words.fuzzy],
                [k for _t, _w, k in words.fuzzy],
                [t for t, _p in words.finding_prefixes],
                [p for _t, p in words.finding_prefixes],
                sorted(words.exact | {""}),
                sorted(words.prefixes),
                sorted(words.synonym_keys),
            ],
        )
        rows = cursor.fetchall()
    lookup = q.Lookup()
    for kind, word, df, head_df, sim, extra in rows:
        if kind == "df":
            if word == "":
                lookup.n_docs = int(df)
            else:
                lookup.df[word] = (int(df), int(head_df))
        elif kind == "pre":
            lookup.prefix_df[word] = (int(df), int(head_df))
        elif kind == "fz":
            lookup.fuzzy.setdefault(word, []).append((extra, float(sim), int(df), int(head_df)))
        elif kind == "syn":
            if int(df) > 0:
                lookup.synonyms.setdefault(word, []).append(
                    (tuple(extra.split()), int(df), int(head_df))
                )
        elif kind == "vec":
            lookup.vector_version = int(df)
        elif kind == "place":
            for name in extra.split("|"):
                for lemma in analyzer.analyze_word(name).lemmas if name else ():
                    lookup.places.setdefault(lemma, []).append(word)
    return lookup


# Fusion of the two rankings (apps.search.semantic). A document's lexical score is
# divided by the query's ideal score (every word in a title); its cosine similarity to
# the query is rescaled between the mean over all documents (0) and the best one (1),
# and raised to SEMANTIC_POWER (squared), so that only the clearly nearest count. The
# fused score adds the two, the meaning weighted SEMANTIC_WEIGHT, less
# CONFIDENT_DISCOUNT times the best lexical match's share of the ideal: when the words
# alone find a page with all of them in its title, meaning only reorders. The list ends
# where the fused score falls below RELATIVE_CUT of the first result's. Tuned on the
# dev sets (benchmarks/search_quality.py --grid; the optimum is flat).
LEXICAL_WEIGHT = 1.0
SEMANTIC_WEIGHT = 0.4
CONFIDENT_DISCOUNT = 0.2
RELATIVE_CUT = 0.35
SEMANTIC_POWER = 2.0  # 3 cuts the tail more (fewer results) at a small cost in MRR
NEIGHBOURS = 40  # nearest documents by meaning that join the candidates
SEMANTIC_FOUND = 10  # a result among this many nearest counts as found by meaning
# A query of at most this many words is matched against each document's title vector
# too (the better of the two counts); longer ones, descriptions of a situation, against
# the passage only. 0 turns title vectors off.
TITLE_QUERY_WORDS = 2


@dataclass
class Fusion:
    lexical: float = LEXICAL_WEIGHT
    semantic: float = SEMANTIC_WEIGHT
    discount: float = CONFIDENT_DISCOUNT
    cut: float = RELATIVE_CUT
    neighbours: int = NEIGHBOURS
    power: float = SEMANTIC_POWER
    title_words: int = TITLE_QUERY_WORDS


def search(
    *,
    query: str,
    municipality: str = "",
    line: str = "",
    doc_types: list[str] | tuple[str, ...] = (),
    limit: int = 10,
    language: str = "fi",
    typing: bool = False,
    analyzer: BaseAnalyzer | None = None,
    semantic_search: bool = True,
    fusion: Fusion | None = None,
) -> SearchResult:
    """Ranked search over everything registered. ``municipality`` (a code) keeps what is
    available there (documents for the whole area included); ``line`` a service line key.
    ``typing``: results as you type, the last word may be unfinished.

    Words and meaning: the lexical ranking (:mod:`apps.search.query`) is fused with
    the nearest documents by meaning (:mod:`apps.search.semantic`) where vectors are
    stored and the model is installed (``semantic_search`` off: words only), and the
    weak tail is cut.

    Two SQL queries, whatever is found: the word look-up and the ranked query (a third,
    once per process and change of the stored vectors, loads them).
    """
    analyzer = analyzer or get_analyzer()
    fusion = fusion or Fusion()
    result = SearchResult(query=query.strip(), analyzer=analyzer.name)
    words = q.parse(query, analyzer, typing=typing)
    if not words.terms:
        return result
    lookup = _lookup(words, analyzer)
    terms = q.plan(words, lookup, analyzer, language)
    result.corrections = {t.word: t.correction for t in terms if t.correction}
    compiled = q.compile_terms(terms, lookup.n_docs)
    neighbours = semantic.Neighbours([], [], 0.0)
    mean_sim = top_sim = 0.0
    if semantic_search and lookup.vector_version > 0 and semantic.enabled():
        semantic.matrix.refresh(lookup.vector_version)
        vector = semantic.query_vector_or_none(result.query) if semantic.matrix.size else None
        if vector is not None:
            by_title = len(result.query.split()) <= fusion.title_words
            neighbours = semantic.matrix.nearest(vector, fusion.neighbours, titles=by_title)
            mean_sim = neighbours.mean
            top_sim = neighbours.sims[0] if neighbours.sims else 0.0
    if compiled is None and not neighbours.ids:
        return result
    if compiled is None:
        compiled = q.Compiled([], "0", [], 1.0)
    result.semantic = bool(neighbours.ids)
    limit = max(1, min(int(limit), MAX_LIMIT))
    where: list[str] = []
    filter_params: list[Any] = []
    if municipality:
        where.append(
            "(cardinality(d.municipalities) = 0 OR d.municipalities @> ARRAY[%s]::varchar[])"
        )
        filter_params.append(municipality)
    if line:
        where.append("d.lines @> ARRAY[%s]::varchar[]")
        filter_params.append(line)
    types = [t for t in doc_types if t in registry.doc_types()]
    if types:
        where.append("d.doc_type = ANY(%s::text[])")
        filter_params.append(types)
    filters = "".join(" AND " + w for w in where)
    table = SearchDocument._meta.db_table
    branch_sqls: list[str] = []
    params: list[Any] = []
    for b in compiled.branches:
        # Only integers, floats, fixed column names and placeholders go in.
        branch = (
            f"SELECT d.id, {b.term:d} AS t, {b.value:.5f}::float8 AS s "  # noqa: S608
            f"FROM {table} d WHERE d.{b.column} @@ %s::tsquery{filters}"
        )
        if b.capped:
            branch = f"({branch} ORDER BY d.title_length, d.id LIMIT {q.HEAD_CAP})"
        branch_sqls.append(branch)
        params.extend([b.tsquery, *filter_params])
    if not branch_sqls:
        branch_sqls.append("SELECT NULL::bigint AS id, 0 AS t, 0::float8 AS s WHERE false")
    candidates = max(q.CANDIDATES, 3 * limit)
    span = max(top_sim - mean_sim, 1e-6)
    near_params = [neighbours.ids, neighbours.sims, *filter_params]
    fusion_params = [
        fusion.lexical,
        compiled.ideal,
        neighbours.floor if neighbours.ids else mean_sim,
        mean_sim,
        span,
        fusion.semantic,
        fusion.discount,
        fusion.power,
        fusion.cut,
    ]
    sql = f"""
        WITH hits AS ({" UNION ALL ".join(branch_sqls)}),
        first AS (SELECT id, sum(s) AS s
                    FROM (SELECT id, t, max(s) AS s FROM hits GROUP BY id, t) per_term
                   GROUP BY id),
        best AS (SELECT id FROM first ORDER BY s DESC, id LIMIT {candidates}),
        near AS (SELECT n.id, n.sim, n.rank
                   FROM unnest(%s::bigint[], %s::float8[]) WITH ORDINALITY n(id, sim, rank)
                   JOIN {table} d ON d.id = n.id WHERE true{filters}),
        pool AS (SELECT id FROM best UNION SELECT id FROM near),
        -- Each candidate's vector is read (detoasted) once, not once per test below.
        x AS MATERIALIZED (SELECT d.id, d.vector || ''::tsvector AS v
                             FROM pool JOIN {table} d ON d.id = pool.id),
        scored AS (SELECT x.id, ({compiled.score_sql})::float8 AS lex
                     FROM x JOIN {table} d ON d.id = x.id),
        lexical AS (SELECT sc.id, sc.lex, %s::float8 * sc.lex / %s::float8 AS l,
                           greatest(least((coalesce(near.sim, %s::float8) - %s::float8)
                                          / %s::float8, 1.0), 0.0) AS m,
                           near.rank
                      FROM scored sc LEFT JOIN near ON near.id = sc.id),
        fused AS (SELECT id, lex, rank,
                         l + (%s::float8 - %s::float8 * least((SELECT max(l) FROM lexical), 1.0))
                             * power(m, %s::float8) AS f
                    FROM lexical),
        kept AS (SELECT * FROM fused
                  WHERE f > 0 AND f >= %s::float8 * (SELECT max(f) FROM fused))
        SELECT d.id, d.doc_type, d.key, d.url, d.titles, d.organisation, d.snippets,
               d.municipalities, kept.f AS score, kept.lex, kept.rank,
               (SELECT count(*) FROM kept) AS total,
               -- A parallel-unsafe call keeps this short query on one process: starting
               -- workers costs more than it saves here.
               (SELECT set_config('neuvokas.search', 'on', true)) AS serial
          FROM kept JOIN {table} d ON d.id = kept.id
         ORDER BY kept.f DESC, d.title_length, d.id
         LIMIT %s
    """  # noqa: S608 - composed of fixed SQL and placeholders
    # Placeholders in order: branches, the nearest (ids, sims, filters), the lexical
    # score, the fusion, the limit.
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *near_params, *compiled.score_params, *fusion_params, limit])
        rows = cursor.fetchall()
    matcher = _matcher(terms)
    for position, row in enumerate(rows, start=1):
        (
            _id,
            doc_type,
            key,
            url,
            titles,
            organisation,
            snippets,
            municipalities,
            score,
            lex,
            rank,
            total,
            _serial,
        ) = row
        result.total = int(total)
        titles, organisation, snippets = (_json(titles), _json(organisation), _json(snippets))
        lang = language if titles.get(language) else "fi"
        title = titles.get(lang) or next(iter(titles.values()), "")
        text_lang = language if snippets.get(language) else "fi"
        text = snippets.get(text_lang) or ""
        by_words = float(lex) > 0
        by_meaning = rank is not None and int(rank) <= SEMANTIC_FOUND
        result.hits.append(
            Hit(
                position=position,
                doc_type=doc_type,
                key=key,
                url=url,
                title=title,
                title_html=highlight(title, matcher, analyzer, lang),
                snippet=snippet(text, matcher, analyzer, text_lang),
                organisation=organisation.get(language) or organisation.get("fi", ""),
                municipalities=list(municipalities),
                score=float(score),
                path=_path(by_words=by_words, by_meaning=by_meaning),
                lexical_score=float(lex),
            )
        )
    return result


def _path(*, by_words: bool, by_meaning: bool) -> str:
    if by_words and by_meaning:
        return SearchLog.Path.BOTH
    return SearchLog.Path.SEMANTIC if by_meaning else SearchLog.Path.LEXICAL


def _json(value: Any) -> dict[str, str]:
    # Django leaves jsonb undecoded on raw cursors.
    return json.loads(value) if isinstance(value, str | bytes) else (value or {})


def _matcher(terms: list[q.Term]) -> Matcher:
    exact: set[str] = set()
    prefixes: set[str] = set()
    for term in terms:
        for alt in term.alts:
            if alt.kind == "part":
                continue
            (prefixes if alt.prefix else exact).update(alt.lexemes)
    return Matcher.build(exact, prefixes)
