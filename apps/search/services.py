"""Writes of the search app: keeping the index fresh, synonyms, the search log.

Indexing is cheap enough to run inside the save's own transaction, so an edit is
findable the moment it is committed:

    from apps.search.services import index_object, remove_object
    index_object(entry)      # after saving (creates, updates or removes the document)
    remove_object(entry)     # before deleting

``rebuild_index()`` (``manage.py rebuild_search_index``) rebuilds everything.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.dispatch import enqueue
from apps.core.privacy import scrub

from . import registry, semantic
from .analyzer import BaseAnalyzer, analyzer_label, get_analyzer, tokenize
from .highlight import MAX_SCAN
from .models import (
    SearchDocument,
    SearchLexicon,
    SearchLog,
    SearchVector,
    SearchVectorState,
    SynonymGroup,
    SynonymTerm,
)
from .text import bounded_prefix, tsvector_literal

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User

WEAKER = {"A": "B", "B": "C", "C": "D", "D": "D"}
DOC_COUNT_WORD = ""  # the lexicon row that counts documents


# --- Building documents -------------------------------------------------------------------


@dataclass
class IndexRow:
    source: str
    object_id: str
    doc: registry.Document
    positions: dict[str, list[tuple[int, str]]]  # lexeme -> [(position, weight)]
    head: dict[str, list[tuple[int, str]]]  # title and keyword lexemes
    title_length: int

    @property
    def embed_hash(self) -> str:
        return semantic.passage_hash(document_passage(self.doc))

    @property
    def title_hash(self) -> str:
        title = document_title(self.doc)
        return semantic.passage_hash(title) if title else ""


MAX_POSITIONS = 16  # per lexeme: enough for proximity, keeps the vector small
FIELD_GAP = 20  # words between texts, so that proximity never spans two fields
# Indexing reads a bounded prefix, so that one huge text (a 640 KB answer, a 1 MB import
# field) cannot make indexing, the vector or the lexicon blow up: of each text its first
# MAX_TEXT_CHARS characters (about 7,000 words, far beyond any real entry body; word
# positions stop at 16,383 anyway) and of a whole document MAX_DOCUMENT_CHARS.
MAX_TEXT_CHARS = 50_000
MAX_DOCUMENT_CHARS = 200_000
# Of each snippet text the index keeps what a snippet is chosen from (highlight.MAX_SCAN).
SNIPPET_CHARS = MAX_SCAN


def document_positions(
    doc: registry.Document,
    analyzer: BaseAnalyzer,
) -> tuple[dict[str, list[tuple[int, str]]], dict[str, list[tuple[int, str]]], int]:
    """Each lexeme of ``doc`` with where it occurs and at what weight, and the head.

    A word counts at its text's weight and a compound part one class weaker (a title
    word is A, a part of a title compound B). Positions count words, so that words of a
    query that stand close together in a text can be rewarded. The head holds the
    lexemes of the A texts (title, keywords): words at A, their parts at B.

    Only a bounded prefix is read: ``MAX_TEXT_CHARS`` of each text and
    ``MAX_DOCUMENT_CHARS`` in all (texts beyond that budget are left out).
    """
    positions: dict[str, list[tuple[int, str]]] = {}
    head: dict[str, list[tuple[int, str]]] = {}
    texts = list(doc.texts)
    texts.extend(registry.Text("fi", kw, "A") for kw in doc.keywords)
    position = 1
    budget = MAX_DOCUMENT_CHARS
    for text in texts:
        if budget <= 0:
            break
        content = bounded_prefix(text.text, min(MAX_TEXT_CHARS, budget))
        budget -= len(content)
        items, length = analyzer.analyze_positions(content, text.language)
        for index, lexemes, parts in items:
            at = min(position + index, 16383)
            for lexeme in lexemes:
                _put(positions, lexeme[:120], at, text.weight)
            for lexeme in parts:
                _put(positions, lexeme[:120], at, WEAKER[text.weight])
            if text.weight == "A":
                for lexeme in parts:
                    head.setdefault(lexeme[:120], [(1, "B")])
                for lexeme in lexemes:
                    head[lexeme[:120]] = [(1, "A")]
        position = min(position + length + FIELD_GAP, 16383)
    title_length = max(1, len(tokenize(bounded_prefix(doc.titles.get("fi", ""), MAX_TEXT_CHARS))))
    return positions, head, title_length


def document_passage(doc: registry.Document) -> str:
    """What a document is embedded from: the Finnish title and text (as stored)."""
    title = doc.titles.get("fi") or next(iter(doc.titles.values()), "")
    text = doc.snippets.get("fi") or next(iter(doc.snippets.values()), "")
    return semantic.passage_text(title, bounded_prefix(text, SNIPPET_CHARS))


def document_title(doc: registry.Document) -> str:
    """What a document's second vector is embedded from: its Finnish title alone."""
    title = doc.titles.get("fi") or next(iter(doc.titles.values()), "")
    return semantic.title_text(title)


def _put(positions: dict[str, list[tuple[int, str]]], lexeme: str, at: int, weight: str) -> None:
    if not lexeme:
        return
    found = positions.setdefault(lexeme, [])
    if len(found) < MAX_POSITIONS:
        found.append((at, weight))
    elif weight < max(w for _p, w in found):
        # Keep the strongest weights when a word is very frequent.
        found.sort(key=lambda pw: pw[1])
        found[-1] = (at, weight)


def _rows_for(
    objs: Iterable[Any],
    analyzer: BaseAnalyzer,
) -> tuple[list[IndexRow], list[tuple[str, str]]]:
    rows: list[IndexRow] = []
    gone: list[tuple[str, str]] = []
    for obj in objs:
        source = registry.source_for(obj)
        if source is None:
            raise ValueError(f"{type(obj).__name__} is not registered for search")
        doc = source.document(obj)
        if doc is None:
            gone.append((source.label, source.object_id(obj)))
            continue
        positions, head, title_length = document_positions(doc, analyzer)
        rows.append(
            IndexRow(source.label, source.object_id(obj), doc, positions, head, title_length)
        )
    return rows, gone


def _lock_objects(keys: Iterable[tuple[str, str]]) -> None:
    """Serialise concurrent indexing of the same objects (transaction-scoped locks)."""
    ids = sorted({zlib.crc32(f"{s}:{o}".encode()) for s, o in keys})
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(4242, k) FROM unnest(%s::int[]) k",
                [[i - 2**31 for i in ids]],
            )


def _old_lexemes(
    keys: list[tuple[str, str]],
) -> dict[tuple[str, str], tuple[list[str], list[str]]]:
    """The lexemes (all, and the head's) the documents of ``keys`` have now."""
    if not keys:
        return {}
    table = SearchDocument._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.source, d.object_id, tsvector_to_array(d.vector), "  # noqa: S608
            f"tsvector_to_array(d.head) FROM {table} d "
            "JOIN unnest(%s::text[], %s::text[]) k(s, o) ON d.source = k.s AND d.object_id = k.o",
            [[s for s, _ in keys], [o for _, o in keys]],
        )
        return {(s, o): (list(lexemes), list(head)) for s, o, lexemes, head in cursor.fetchall()}


def _apply_lexicon_deltas(deltas: Counter[str], head_deltas: Counter[str]) -> None:
    words = sorted(w for w in set(deltas) | set(head_deltas) if deltas[w] or head_deltas[w])
    if not words:
        return
    table = SearchLexicon._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (word, df, head_df) "  # noqa: S608
            "SELECT w, d, h FROM unnest(%s::text[], %s::int[], %s::int[]) AS t(w, d, h) "
            f"ORDER BY w ON CONFLICT (word) DO UPDATE SET df = {table}.df + EXCLUDED.df, "
            f"head_df = {table}.head_df + EXCLUDED.head_df",
            [words, [deltas[w] for w in words], [head_deltas[w] for w in words]],
        )


def _diff(deltas: Counter[str], new: Iterable[str], old: Iterable[str]) -> None:
    new_set, old_set = set(new), set(old)
    for w in new_set - old_set:
        deltas[w] += 1
    for w in old_set - new_set:
        deltas[w] -= 1


def _upsert(rows: list[IndexRow], label: str) -> None:
    table = SearchDocument._meta.db_table
    sql = (
        f"INSERT INTO {table} (source, object_id, doc_type, key, url, titles, organisation, "  # noqa: S608
        "snippets, municipalities, lines, vector, head, title_length, analyzer, embed_hash, "
        "title_hash, updated_at) "
        "VALUES (%s, %s, %s, %s, %s, %s::jsonb, %s::jsonb, %s::jsonb, %s::varchar[], "
        "%s::varchar[], %s::tsvector, %s::tsvector, %s, %s, %s, %s, now()) "
        "ON CONFLICT (source, object_id) DO UPDATE SET doc_type = EXCLUDED.doc_type, "
        "key = EXCLUDED.key, url = EXCLUDED.url, titles = EXCLUDED.titles, "
        "organisation = EXCLUDED.organisation, snippets = EXCLUDED.snippets, "
        "municipalities = EXCLUDED.municipalities, lines = EXCLUDED.lines, "
        "vector = EXCLUDED.vector, head = EXCLUDED.head, title_length = EXCLUDED.title_length, "
        "analyzer = EXCLUDED.analyzer, embed_hash = EXCLUDED.embed_hash, "
        "title_hash = EXCLUDED.title_hash, updated_at = now()"
    )
    import json

    params = [
        (
            r.source,
            r.object_id,
            r.doc.doc_type,
            r.doc.key[:200],
            r.doc.url[:500],
            json.dumps(r.doc.titles),
            json.dumps(r.doc.organisation),
            json.dumps(
                {lang: bounded_prefix(text, SNIPPET_CHARS) for lang, text in r.doc.snippets.items()}
            ),
            sorted(set(r.doc.municipalities)),
            sorted(set(r.doc.lines)),
            tsvector_literal(r.positions),
            tsvector_literal(r.head),
            min(r.title_length, 32767),
            label,
            r.embed_hash,
            r.title_hash,
        )
        for r in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _delete(keys: list[tuple[str, str]]) -> None:
    if not keys:
        return
    table = SearchDocument._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} d USING unnest(%s::text[], %s::text[]) k(s, o) "  # noqa: S608
            "WHERE d.source = k.s AND d.object_id = k.o",
            [[s for s, _ in keys], [o for _, o in keys]],
        )


def index_objects(
    objs: Iterable[Any], *, analyzer: BaseAnalyzer | None = None, batch_size: int = 500
) -> int:
    """(Re)index registered objects; those whose source returns no document are removed.

    Runs in the caller's transaction (or its own), so the index changes exactly when the
    objects do. Returns the number of documents written.
    """
    analyzer = analyzer or get_analyzer()
    label = analyzer_label(analyzer)
    written = 0
    batch: list[Any] = []

    def flush() -> None:
        nonlocal written
        rows, gone = _rows_for(batch, analyzer)
        keys = [(r.source, r.object_id) for r in rows] + gone
        with transaction.atomic():
            _lock_objects(keys)
            old = _old_lexemes(keys)
            deltas: Counter[str] = Counter()
            head_deltas: Counter[str] = Counter()
            for row in rows:
                previous = old.get((row.source, row.object_id))
                if previous is None:
                    deltas[DOC_COUNT_WORD] += 1
                    previous = ([], [])
                _diff(deltas, row.positions, previous[0])
                _diff(head_deltas, row.head, previous[1])
            for key in gone:
                if key in old:
                    deltas[DOC_COUNT_WORD] -= 1
                    _diff(deltas, (), old[key][0])
                    _diff(head_deltas, (), old[key][1])
            _upsert(rows, label)
            _delete([k for k in gone if k in old])
            _apply_lexicon_deltas(deltas, head_deltas)
            vectors_enqueue(keys=[(r.source, r.object_id) for r in rows])
        written += len(rows)
        batch.clear()

    for obj in objs:
        batch.append(obj)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return written


def index_object(obj: Any) -> None:
    """Index one object now (or remove it if its source says it must not be found)."""
    index_objects([obj])


def remove_object(obj: Any) -> None:
    """Take an object out of the index (call before or after deleting it)."""
    source = registry.source_for(obj)
    if source is None:
        return
    key = (source.label, source.object_id(obj))
    with transaction.atomic():
        _lock_objects([key])
        old = _old_lexemes([key])
        if key not in old:
            return
        deltas: Counter[str] = Counter({DOC_COUNT_WORD: -1})
        head_deltas: Counter[str] = Counter()
        _diff(deltas, (), old[key][0])
        _diff(head_deltas, (), old[key][1])
        _delete([key])
        _apply_lexicon_deltas(deltas, head_deltas)


def index_documents(
    items: Iterable[tuple[str, str, registry.Document]],
    *,
    analyzer: BaseAnalyzer | None = None,
    batch_size: int = 1000,
) -> int:
    """Bulk-load ready-made documents ``(source label, object id, document)`` without
    lexicon bookkeeping; call :func:`rebuild_lexicon` afterwards. Used by the rebuild
    and by benchmarks."""
    analyzer = analyzer or get_analyzer()
    label = analyzer_label(analyzer)
    written = 0
    batch: list[IndexRow] = []
    for source, object_id, doc in items:
        positions, head, title_length = document_positions(doc, analyzer)
        batch.append(IndexRow(source, object_id, doc, positions, head, title_length))
        if len(batch) >= batch_size:
            _upsert(batch, label)
            written += len(batch)
            batch = []
    if batch:
        _upsert(batch, label)
        written += len(batch)
    return written


def rebuild_lexicon() -> None:
    """Recount every lexeme's document frequencies from the documents."""
    doc_table = SearchDocument._meta.db_table
    lex_table = SearchLexicon._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {lex_table} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {lex_table}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {lex_table} (word, df, head_df) "  # noqa: S608
            "SELECT w, sum(d), sum(h) FROM ("
            f"  SELECT w, 1 AS d, 0 AS h FROM {doc_table}, unnest(tsvector_to_array(vector)) w"
            "   UNION ALL"
            f"  SELECT w, 0, 1 FROM {doc_table}, unnest(tsvector_to_array(head)) w"
            ") x WHERE w <> '' GROUP BY w"
        )
        cursor.execute(
            f"INSERT INTO {lex_table} (word, df, head_df) "  # noqa: S608
            f"SELECT '', count(*), 0 FROM {doc_table}"
        )


def rebuild_index(
    *,
    analyzer: BaseAnalyzer | None = None,
    batch_size: int = 500,
    stale_only: bool = False,
    progress: Any = None,
    enqueue_vectors: bool = True,
) -> int:
    """Rebuild the whole index from every registered source, in one transaction.

    Searches keep seeing the old index until the new one is committed. With
    ``stale_only`` only documents made by another analyzer (say, before libvoikko was
    installed) are redone. The documents' vectors are kept (they are stored by the
    hash of their text); those missing are computed by ``search.embed_documents`` tasks
    enqueued on commit, unless ``enqueue_vectors`` is off (``rebuild_search_index
    --vectors`` computes them itself, see :func:`vectors_compute`).
    """
    analyzer = analyzer or get_analyzer()
    label = analyzer_label(analyzer)
    total = 0
    with transaction.atomic():
        if stale_only:
            stale = SearchDocument.objects.exclude(analyzer=label)
            by_source: dict[str, list[str]] = {}
            for source_label, object_id in stale.values_list("source", "object_id"):
                by_source.setdefault(source_label, []).append(object_id)
            for source_label, ids in by_source.items():
                source = registry.source_by_label(source_label)
                if source is None:
                    SearchDocument.objects.filter(source=source_label).delete()
                    continue
                total += index_objects(
                    source.queryset().filter(pk__in=ids), analyzer=analyzer, batch_size=batch_size
                )
            rebuild_lexicon()
            if enqueue_vectors:
                vectors_enqueue()
            return total
        SearchDocument.objects.all().delete()
        for source in registry.sources():
            items = (
                (source.label, source.object_id(obj), doc)
                for obj in source.queryset().iterator(chunk_size=batch_size)
                if (doc := source.document(obj)) is not None
            )
            count = index_documents(items, analyzer=analyzer, batch_size=batch_size)
            total += count
            if progress:
                progress(source.label, count)
        rebuild_lexicon()
        # Documents have new ids: every process reloads its vectors (kept by hash).
        _vectors_bump()
        if enqueue_vectors:
            vectors_enqueue()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {SearchDocument._meta.db_table}")
        cursor.execute(f"ANALYZE {SearchLexicon._meta.db_table}")
    return total


# --- Vectors (semantic search) --------------------------------------------------------------

EMBED_TASK_SIZE = 32  # documents per embedding task (about 3 s of a core)
EMBED_BATCH = 8  # passages embedded and stored at a time


def _lacks_vector(docs: str, vectors: str) -> str:
    """SQL condition: the document ``d``'s passage or title has no vector yet."""
    return " OR ".join(
        f"(d.{column} <> '' AND NOT EXISTS "  # noqa: S608 - column and table names only
        f"(SELECT 1 FROM {vectors} v WHERE v.text_hash = d.{column}))"
        for column in ("embed_hash", "title_hash")
    )


def vectors_pending(*, keys: list[tuple[str, str]] | None = None) -> list[int]:
    """Ids of documents (of ``keys``, or all) whose text or title has no vector yet."""
    docs = SearchDocument._meta.db_table
    vectors = SearchVector._meta.db_table
    sql = (
        f"SELECT d.id FROM {docs} d "  # noqa: S608 - table names only
        f"WHERE ({_lacks_vector(docs, vectors)})"
    )
    params: list[Any] = []
    if keys is not None:
        if not keys:
            return []
        sql += " AND (d.source, d.object_id) IN (SELECT * FROM unnest(%s::text[], %s::text[]))"
        params = [[s for s, _ in keys], [o for _, o in keys]]
    with connection.cursor() as cursor:
        cursor.execute(sql + " ORDER BY d.id", params)
        return [row[0] for row in cursor.fetchall()]


def vectors_enqueue(*, keys: list[tuple[str, str]] | None = None) -> int:
    """Enqueue (on commit) the embedding of the documents that lack a vector. Nothing
    where semantic search is off or its model is not installed."""
    if not semantic.enabled():
        return 0
    from .tasks import embed_documents

    ids = vectors_pending(keys=keys)
    for start in range(0, len(ids), EMBED_TASK_SIZE):
        enqueue(embed_documents, ids[start : start + EMBED_TASK_SIZE])
    return len(ids)


def _vectors_bump() -> None:
    table = SearchVectorState._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (id, version) VALUES (1, 1) "  # noqa: S608
            f"ON CONFLICT (id) DO UPDATE SET version = {table}.version + 1"
        )


# Background embedding waits while a search was made this recently (in any process).
SEARCH_QUIET_SECONDS = 2.0


def searches_going_on() -> bool:
    """Whether anyone searched in the last ``SEARCH_QUIET_SECONDS``: the search log (every
    search and live-search keystroke writes a row) tells, whichever process served it."""
    since = timezone.now() - timedelta(seconds=SEARCH_QUIET_SECONDS)
    return SearchLog.objects.filter(created_at__gte=since).exists()


def vectors_compute(*, document_ids: list[int], progress: Any = None, give_way: bool = True) -> int:
    """Compute and store the vectors the documents ``document_ids`` lack (of their
    passage, of their title); returns how many were stored. Idempotent: documents with
    their vectors, or gone, are skipped, and two workers storing the same vector keep
    one. The model runs outside any transaction; each batch is stored in a short one
    that moves the vectors' version counter (which also orders concurrent writers).

    The model gives way while advisors search (:func:`searches_going_on`): searches
    served beside background embedding were measured 3-8 ms slower at p95 even with the
    embedding in the idle scheduling class (benchmarks/search_speed.py; the cores share
    caches and memory bandwidth, a cause not isolated)."""
    if not semantic.enabled():
        return 0
    docs = SearchDocument._meta.db_table
    vectors = SearchVector._meta.db_table
    stored = 0
    for start in range(0, len(document_ids), EMBED_BATCH):
        chunk = document_ids[start : start + EMBED_BATCH]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.titles, d.snippets FROM {docs} d "  # noqa: S608
                f"WHERE d.id = ANY(%s::bigint[]) AND ({_lacks_vector(docs, vectors)}) "
                "ORDER BY d.id",
                [chunk],
            )
            rows = cursor.fetchall()
        todo: dict[str, str] = {}
        for titles, snippets in rows:
            doc = registry.Document(
                doc_type="", url="", titles=_json(titles), snippets=_json(snippets)
            )
            for text in (document_passage(doc), document_title(doc)):
                if text:
                    todo[semantic.passage_hash(text)] = text
        if todo:  # one of the two may have its vector already
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT text_hash FROM {vectors} WHERE text_hash = ANY(%s::varchar[])",  # noqa: S608
                    [list(todo)],
                )
                for (known,) in cursor.fetchall():
                    todo.pop(known, None)
        if todo:
            hashes = list(todo)
            matrix = semantic.embed_passages([todo[h] for h in hashes], pause=searches_going_on)
            with transaction.atomic():
                _vectors_bump()
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"INSERT INTO {vectors} (text_hash, vector, created_at) "  # noqa: S608
                        "SELECT h, v, now() FROM unnest(%s::varchar[], %s::bytea[]) t(h, v) "
                        "ON CONFLICT (text_hash) DO NOTHING",
                        [hashes, [semantic.to_bytes(v) for v in matrix]],
                    )
                    stored += cursor.rowcount
        if progress:
            progress(min(start + EMBED_BATCH, len(document_ids)), len(document_ids))
    return stored


def vectors_prune() -> int:
    """Delete vectors no document uses any more (texts that changed)."""
    docs = SearchDocument._meta.db_table
    vectors = SearchVector._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {vectors} v WHERE NOT EXISTS "  # noqa: S608
            f"(SELECT 1 FROM {docs} d WHERE d.embed_hash = v.text_hash) AND NOT EXISTS "
            f"(SELECT 1 FROM {docs} d WHERE d.title_hash = v.text_hash)"
        )
        return int(cursor.rowcount)


def _json(value: Any) -> dict[str, str]:
    import json

    return json.loads(value) if isinstance(value, str | bytes) else (value or {})


# --- Synonyms ---------------------------------------------------------------------------


def synonym_members(text: str, analyzer: BaseAnalyzer) -> tuple[str, list[str]] | None:
    """A member's match key (space-joined primary lemmas) and the lexemes it expands to."""
    match: list[str] = []
    lexemes: list[str] = []
    for word, _s, _e in tokenize(text):
        a = analyzer.analyze_word(word)
        if a.stop:
            continue
        match.append(a.primary)
        lexemes.append(a.primary)
    if not match:
        return None
    return " ".join(match)[:300], lexemes


def synonym_group_save(
    *,
    group: SynonymGroup,
    user: User | AnonymousUser | None = None,
    analyzer: BaseAnalyzer | None = None,
) -> SynonymGroup:
    """Save a group and its analysed members; searches use it from the next query on."""
    analyzer = analyzer or get_analyzer()
    terms = group.term_list()
    if len(terms) < 2:
        raise ValidationError({"terms": _("Anna vähintään kaksi sanaa tai sanontaa.")})
    analysed = [(t, synonym_members(t, analyzer)) for t in terms]
    members = [(t, m) for t, m in analysed if m is not None]
    with transaction.atomic():
        if user is not None and user.is_authenticated:
            group.updated_by = user
        group.full_clean()
        group.save()
        SynonymTerm.objects.filter(group=group).delete()
        SynonymTerm.objects.bulk_create(
            SynonymTerm(group=group, text=t[:200], match=m[0], lexemes=m[1]) for t, m in members
        )
    return group


def synonym_groups_reanalyse(analyzer: BaseAnalyzer | None = None) -> int:
    """Re-analyse every group's members (after the analyzer changed)."""
    count = 0
    for group in SynonymGroup.objects.all():
        synonym_group_save(group=group, analyzer=analyzer)
        count += 1
    return count


# --- The search log -------------------------------------------------------------------


def search_log_create(
    *,
    query: str,
    user: User | AnonymousUser | None,
    source: str,
    result_count: int,
    municipality: str = "",
    line: str = "",
    doc_type: str = "",
    language: str = "",
    corrected: bool = False,
    paths: dict[str, str] | None = None,
) -> SearchLog:
    """Log one search; identity codes and phone numbers never reach the table.
    ``paths``: which retrieval found each listed result (key -> ``SearchLog.Path``).

    Every keystroke of the live search writes one, so on its own the row is committed
    without waiting for the disk (``synchronous_commit off``: a crash may lose the last
    moment's rows, never corrupt them), which saves the request a WAL flush (about 6 ms
    here). Inside a caller's transaction it commits as that transaction does."""
    row = SearchLog(
        query=scrub(query or "")[:300],
        user=user if user is not None and user.is_authenticated else None,
        source=source,
        result_count=result_count,
        municipality=municipality or "",
        line=(line or "")[:50],
        doc_type=doc_type or "",
        language=(language or "")[:5],
        corrected=corrected,
        result_paths={k[:200]: v for k, v in (paths or {}).items() if v in SearchLog.Path},
    )
    if connection.in_atomic_block:
        row.save(force_insert=True)
        return row
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        row.save(force_insert=True)
    return row


def search_log_open(
    *, log_id: int, position: int, url: str, key: str, user: User | AnonymousUser
) -> bool:
    """Record which result (1-based position) was opened from a logged search.

    Only the user who searched can record it, and only the first opening counts. The
    retrieval that found it (words, meaning or both) comes from the logged results.
    """
    updated = (
        SearchLog.objects.filter(
            pk=log_id, user=user if user.is_authenticated else None, opened_at__isnull=True
        )
        # Both come from the request: scrubbed like the query.
        .update(
            opened_position=position,
            opened_url=scrub(url)[:500],
            opened_key=scrub(key)[:200],
            opened_path=Coalesce(KeyTextTransform(key[:200], "result_paths"), Value("")),
            opened_at=timezone.now(),
        )
    )
    return bool(updated)
