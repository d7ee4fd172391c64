#!/usr/bin/env python
"""Search speed: /api/v1/search over 20,000 catalogue entries and 100,000 consultation posts.

    .venv/bin/python benchmarks/search_speed.py [--entries 20000] [--posts 100000]
        [--queries 300] [--catalogue ../shared/search-eval/dev-catalogue.json]
        [--embed-sample 500 | --embed-all] [--broker redis://127.0.0.1:6379/13]

Creates a throwaway database (on ``DATABASE_URL``'s server, else the embedded
PostgreSQL), fills it with generated Finnish text, and prints p50/p95 server time of
``/api/v1/search`` (the whole Django request: middleware, token check, both search
queries, snippets, the log insert) over a few hundred varied queries, and the number of
SQL queries per search.

The text is made from the sentences, titles and keywords of a real catalogue file
(the dev catalogue by default), recombined, with new compound words made from its
vocabulary so that the index has a long tail of rare words like a real one. Consultation
threads (question + answers; 100,000 posts in all) are indexed as solved threads.

Search by meaning (when the model package is installed):

* the time to embed the 20,000 entries from scratch: measured on ``--embed-sample``
  entries and extrapolated (printed as such), or measured in full with ``--embed-all``
  (about an hour of a core);
* the documents not embedded get random unit vectors (labelled synthetic: the search's
  cost depends on how many vectors there are, not on what they are), so the matrix is
  full size;
* p50/p95 of the search fused with meaning (query embedding included, each query new
  to the cache), of the same search by words only, and, on the same documents, of a bare
  ``websearch_to_tsquery('finnish')`` + ``ts_rank`` query over a GIN-indexed tsvector of
  their Finnish title and text: the baseline;
* the same search while a real Celery worker (a separate process, on ``--broker``)
  embeds documents in the background (the worker gives way while anyone searches, and
  the benchmark prints when it resumes).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    ROOT,
    existing_database,
    percentile,
    setup_django,
    throwaway_database,
)

DEFAULT_CATALOGUE = ROOT.parent / "shared" / "search-eval" / "dev-catalogue.json"
DEFAULT_QUERIES = ROOT.parent / "shared" / "search-eval" / "dev-queries.jsonl"
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[A-Za-zÅÄÖåäö-]{4,}")
POOL_SIZE = 30_000


class Corpus:
    """Sentences, titles, keywords and words of a catalogue, to recombine."""

    def __init__(self, data: dict, rng: random.Random) -> None:
        self.rng = rng
        items = data.get("services", []) + data.get("offers", [])
        self.sentences: list[str] = []
        self.titles: list[str] = []
        self.keywords: list[str] = []
        for item in items:
            self.titles.append(item["title"]["fi"])
            self.keywords.extend(item.get("keywords") or [])
            for field in ("summary", "body", "eligibility", "how_to_apply", "fees"):
                text = (item.get(field) or {}).get("fi", "")
                text = re.sub(r"[*#>`]|^- ", "", text, flags=re.MULTILINE)
                self.sentences.extend(
                    s.strip()
                    for s in _SENTENCE.split(text.replace("\n", " "))
                    if len(s.split()) >= 4
                )
        words = {w.lower() for s in self.sentences for w in _WORD.findall(s)}
        self.words = sorted(words)
        self.municipalities = [m["code"] for m in data.get("municipalities", [])]
        # New words: compounds of two catalogue words (asiointi + kyyti). Drawn with a
        # Zipf-like law, so that some are common and most are rare, as in a real index.
        heads = [w for w in self.words if len(w) >= 5]
        self.pool = [self.rng.choice(heads) + self.rng.choice(heads) for _ in range(POOL_SIZE)]

    def new_compound(self) -> str:
        return self.pool[int(len(self.pool) ** self.rng.random()) - 1]

    def sentence(self) -> str:
        words = self.rng.choice(self.sentences).split()
        for i in range(len(words)):
            if len(words[i]) > 5 and self.rng.random() < 0.08:
                words[i] = self.new_compound()
        return " ".join(words)

    def text(self, low: int, high: int) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    def title(self) -> str:
        base = self.rng.choice(self.titles)
        if self.rng.random() < 0.5:
            base = f"{base}: {self.new_compound()}"
        return base[:300]


def fill(args: argparse.Namespace, corpus: Corpus) -> None:
    from django.db import transaction

    from apps.catalogue.models import Entry, Municipality, Organisation, ServiceLine
    from apps.search import registry, services

    rng = corpus.rng
    started = time.monotonic()
    with transaction.atomic():
        municipalities = list(Municipality.objects.all())
        lines = list(ServiceLine.objects.all())
        orgs = [
            Organisation.objects.create(
                key=f"org-{i}", kind="association", name=f"{corpus.new_compound().title()} ry"
            )
            for i in range(200)
        ]
        entries = []
        for i in range(args.entries):
            entries.append(
                Entry(
                    kind=rng.choice(["service", "offer"]),
                    key=f"e-{i}",
                    title=corpus.title(),
                    title_fi="",
                    summary=corpus.text(1, 2),
                    body=corpus.text(4, 10),
                    eligibility=corpus.text(0, 2),
                    how_to_apply=corpus.text(0, 2),
                    fees=corpus.text(0, 1),
                    organisation=rng.choice(orgs),
                    keywords=rng.sample(corpus.keywords, rng.randint(0, 5)),
                )
            )
        for e in entries:
            e.title_fi, e.summary_fi, e.body_fi = e.title, e.summary, e.body
            e.eligibility_fi, e.how_to_apply_fi, e.fees_fi = e.eligibility, e.how_to_apply, e.fees
        Entry.objects.bulk_create(entries, batch_size=2000)
        through_m = Entry.municipalities.through
        through_l = Entry.service_lines.through
        m_rows, l_rows = [], []
        for e in entries:
            if rng.random() < 0.35:
                for m in rng.sample(municipalities, rng.randint(1, 3)):
                    m_rows.append(through_m(entry_id=e.pk, municipality_id=m.pk))
            for line in rng.sample(lines, rng.randint(1, 2)):
                l_rows.append(through_l(entry_id=e.pk, serviceline_id=line.pk))
        through_m.objects.bulk_create(m_rows, batch_size=5000)
        through_l.objects.bulk_create(l_rows, batch_size=5000)
        print(f"# {len(entries)} catalogue entries written in {time.monotonic() - started:.1f} s")

        started = time.monotonic()
        services.rebuild_index()
        print(f"# catalogue indexed in {time.monotonic() - started:.1f} s")

        # Consultation threads: a question and answers, 100,000 posts in all, indexed as
        # solved threads (title A, solution B, question and other answers C).
        started = time.monotonic()
        posts = 0
        docs = []
        n = 0
        while posts < args.posts:
            answers = [corpus.text(1, 4) for _ in range(rng.randint(1, 5))]
            question = corpus.text(2, 5)
            posts += 1 + len(answers)
            title = rng.choice(corpus.sentences)[:80].rstrip(".") + "?"
            docs.append(
                (
                    "benchmark.thread",
                    str(n),
                    registry.Document(
                        doc_type="consultation",
                        key=str(n),
                        url=f"/kysymykset/{n}/",
                        titles={"fi": title},
                        texts=[
                            registry.Text("fi", title, "A"),
                            registry.Text("fi", answers[0], "B"),
                            registry.Text("fi", question, "C"),
                            *(registry.Text("fi", a, "C") for a in answers[1:]),
                        ],
                        snippets={"fi": answers[0]},
                        municipalities=[rng.choice(corpus.municipalities)]
                        if rng.random() < 0.5
                        else [],
                        lines=[rng.choice(lines).key],
                    ),
                )
            )
            n += 1
        services.index_documents(docs)
        services.rebuild_lexicon()
        print(
            f"# {n} consultation threads ({posts} posts) indexed in "
            f"{time.monotonic() - started:.1f} s"
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE search_searchdocument")
        cursor.execute("VACUUM ANALYZE search_searchlexicon")
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('search_searchdocument')),"
            " pg_size_pretty(pg_relation_size('searchdoc_vector_gin')),"
            " (SELECT count(*) FROM search_searchdocument),"
            " (SELECT count(*) FROM search_searchlexicon)"
        )
        size, gin, docs_n, lex_n = cursor.fetchone()
    print(f"# index: {docs_n} documents, {lex_n} lexemes, table {size}, GIN {gin}")


def make_queries(args: argparse.Namespace, corpus: Corpus) -> list[dict]:
    rng = corpus.rng
    queries: list[dict] = []
    path = Path(args.queries_file)
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                queries.append({"q": json.loads(line)["q"]})
    while len(queries) < args.queries:
        kind = rng.random()
        if kind < 0.3:  # a title, or its first words
            words = rng.choice(corpus.titles).split()
            q = " ".join(words[: rng.randint(1, min(3, len(words)))])
        elif kind < 0.6:  # two or three words of one sentence, as they are inflected there
            words = _WORD.findall(rng.choice(corpus.sentences)) or ["apu"]
            q = " ".join(rng.sample(words, min(len(words), rng.randint(2, 3))))
        elif kind < 0.75:  # a keyword
            q = rng.choice(corpus.keywords)
        elif kind < 0.9:  # a typo in a word
            w = rng.choice([w for w in corpus.words if len(w) > 6])
            i = rng.randrange(1, len(w) - 1)
            q = rng.choice(
                [w[:i] + w[i + 1 :], w[:i] + w[i] + w[i:], w[:i] + w[i + 1] + w[i] + w[i + 2 :]]
            )
        else:  # one very common word: the worst case for the candidate set
            q = rng.choice(["palvelu", "tuki", "apu", "hakemus", "asiakas", "kotona"])
        queries.append({"q": q})
    for q in queries:
        if rng.random() < 0.5:
            q["municipality"] = rng.choice(corpus.municipalities)
    rng.shuffle(queries)
    return queries[: args.queries]


def measure(queries: list[dict], label: str = "search") -> list[float]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from apps.accounts.roles import ADVISOR
    from apps.accounts.services import api_token_create
    from apps.search.analyzer import get_analyzer

    get_user_model().objects.filter(username="bench").delete()
    user = get_user_model().objects.create_user("bench")
    user.groups.add(Group.objects.get(name=ADVISOR))
    _token, raw = api_token_create(user=user, name="benchmark")
    client = Client(HTTP_AUTHORIZATION=f"Token {raw}")
    print(f"# {label} (analyzer: {get_analyzer().name})")

    def get(q: dict):
        return client.get("/api/v1/search", {**q, "limit": 10})

    for q in queries[:20]:  # warm up caches and connections
        get(q)
    times, counts, empty = [], [], 0
    for q in queries:
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = get(q)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.content
        times.append(elapsed * 1000)
        counts.append(len(ctx.captured_queries))
        empty += not response.json()["results"]
    print(f"queries: {len(times)} ({empty} with no results)")
    print(
        f"server time ms: p50 {percentile(times, 0.5):.1f}  p95 {percentile(times, 0.95):.1f}"
        f"  max {max(times):.1f}  mean {statistics.mean(times):.1f}"
    )
    print(f"SQL queries per search: min {min(counts)}  max {max(counts)}")
    slow = sorted(zip(times, queries, strict=True), key=lambda x: -x[0])[:5]
    for t, q in slow:
        print(f"  slowest: {t:.1f} ms {q}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--catalogue", default=str(DEFAULT_CATALOGUE))
    parser.add_argument(
        "--queries-file",
        default=str(DEFAULT_QUERIES),
        help="extra real queries (JSON lines with 'q') mixed in",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    parser.add_argument("--use-db", default="", help="measure on a database kept earlier")
    parser.add_argument("--embed-sample", type=int, default=500, help="entries embedded for real")
    parser.add_argument(
        "--embed-all", action="store_true", help="embed all entries for real (about an hour)"
    )
    parser.add_argument(
        "--broker",
        default=os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/13",
        help="the Celery broker of the background worker",
    )
    args = parser.parse_args()
    os.environ.setdefault("NEUVOKAS_SEARCH_SEMANTIC", "1")
    os.environ["CELERY_BROKER_URL"] = args.broker
    setup_django()
    from django.conf import settings

    from apps.search import semantic

    # As in production: while vectors keep arriving, reload them at most every 5 s.
    settings.NEUVOKAS_SEARCH_VECTOR_RELOAD_SECONDS = semantic.RELOAD_SECONDS
    rng = random.Random(args.seed)
    from apps.catalogue.interchange import loads

    data = loads(Path(args.catalogue).read_bytes())
    if args.use_db:
        with existing_database(args.use_db):
            run(args, make_queries(args, Corpus(data, rng)))
        return
    with throwaway_database("speed", keep=args.keep_db):
        from apps.catalogue.services import import_catalogue

        import_catalogue(
            {k: v for k, v in data.items() if k in ("format", "municipalities", "service_lines")}
        )
        corpus = Corpus(data, rng)
        fill(args, corpus)
        run(args, make_queries(args, corpus))


def run(args: argparse.Namespace, queries: list[dict]) -> None:
    """Measure on the filled database: embedding, searches, the baseline."""
    baseline_table()
    rows: list[tuple[str, list[float]]] = []
    from apps.search import semantic

    if semantic.enabled():
        embed_sample(args)
        semantic.clear_caches()
        rows.append(("search, words + meaning (fused)", measure(queries, "fused")))
        from django.test import override_settings

        with override_settings(NEUVOKAS_SEARCH_SEMANTIC=False):
            rows.append(("search, words only", measure(queries, "words only")))
        semantic.clear_caches()
        rows.append(
            ("search, fused, while a worker embeds", measure_while_embedding(args, queries))
        )
    else:
        print("# semantic search unavailable (no model package): words only")
        rows.append(("search, words only", measure(queries, "words only")))
    rows.append(("baseline: websearch_to_tsquery + ts_rank (SQL)", measure_baseline(queries)))
    base95 = percentile(rows[-1][1], 0.95)
    print(f"\n{'server time, ms':52} {'p50':>7} {'p95':>7} {'p95 / baseline p95':>19}")
    for name, times in rows:
        p95 = percentile(times, 0.95)
        print(
            f"{name:52} {percentile(times, 0.5):7.1f} {p95:7.1f} {p95 / max(base95, 1e-9):18.1f}x"
        )


def baseline_table() -> None:
    """The bare PostgreSQL full-text search over the same documents (Finnish title and
    text), with a GIN index, as a plain installation would have it."""
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_fts")
        cursor.execute(
            "CREATE TABLE bench_fts AS SELECT id, to_tsvector('finnish', "
            "coalesce(titles->>'fi', '') || ' ' || coalesce(snippets->>'fi', '')) AS tsv "
            "FROM search_searchdocument"
        )
        cursor.execute("CREATE INDEX bench_fts_gin ON bench_fts USING gin (tsv)")
        cursor.execute("ANALYZE bench_fts")
    print(f"# baseline tsvector table built in {time.monotonic() - started:.1f} s")


def measure_baseline(queries: list[dict]) -> list[float]:
    from django.db import connection

    sql = (
        "SELECT id FROM bench_fts, websearch_to_tsquery('finnish', %s) q "
        "WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC LIMIT 10"
    )
    times = []
    with connection.cursor() as cursor:
        for q in queries[:20]:
            cursor.execute(sql, [q["q"]])
            cursor.fetchall()
        for q in queries:
            started = time.perf_counter()
            cursor.execute(sql, [q["q"]])
            cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    print(f"# baseline: p50 {percentile(times, 0.5):.1f} ms  p95 {percentile(times, 0.95):.1f} ms")
    return times


def embed_sample(args: argparse.Namespace) -> None:
    """Embed entries for real (a sample, or all of them) and time it; give the rest
    synthetic vectors so that the matrix the search scans is full size."""
    import numpy as np
    from django.db import connection

    from apps.search import semantic, services
    from apps.search.models import SearchDocument

    entries = list(
        SearchDocument.objects.filter(source="catalogue.entry")
        .order_by("id")
        .values_list("id", flat=True)
    )
    pending_entries = sorted(set(entries) & set(services.vectors_pending()))
    sample = pending_entries if args.embed_all else pending_entries[: args.embed_sample]
    started = time.perf_counter()
    services.vectors_compute(document_ids=sample)
    took = time.perf_counter() - started
    each = took / max(len(sample), 1)
    print(
        f"# embedded {len(sample)} entries in {took:.1f} s: {1000 * each:.0f} ms each "
        f"({semantic.MODEL_NAME}, {semantic._passage_workers()} passage threads side by side, "
        f"idle scheduling class)"
    )
    if args.embed_all:
        print(f"time to embed the {len(entries)} entries from scratch: {took / 60:.1f} min")
    else:
        print(
            f"time to embed the {len(entries)} entries from scratch: EXTRAPOLATED from "
            f"{len(sample)}: {each * len(entries) / 60:.1f} min of one worker "
            "(run with --embed-all to measure it)"
        )
    pending = services.vectors_pending()
    rng = np.random.default_rng(1)
    hashes = list(
        SearchDocument.objects.filter(id__in=pending).values_list("embed_hash", flat=True)
    )
    for start in range(0, len(hashes), 5000):
        chunk = sorted(set(hashes[start : start + 5000]))
        vectors = rng.standard_normal((len(chunk), semantic.DIMENSIONS)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO search_searchvector (text_hash, vector, created_at) "
                "SELECT h, v, now() FROM unnest(%s::varchar[], %s::bytea[]) t(h, v) "
                "ON CONFLICT DO NOTHING",
                [chunk, [semantic.to_bytes(v) for v in vectors]],
            )
    services._vectors_bump()
    print(
        f"# {len(pending)} other documents got SYNTHETIC random vectors (timing only); "
        f"{SearchDocument.objects.count()} documents in the matrix"
    )


def measure_while_embedding(args: argparse.Namespace, queries: list[dict]) -> list[float]:
    """Drop the vectors of some entries, enqueue their embedding, and search while a real
    Celery worker (a separate process) computes them."""
    from django.db import connection

    from apps.search import services
    from apps.search.models import SearchDocument, SearchVector

    victims = list(
        SearchDocument.objects.filter(source="catalogue.entry")
        .order_by("-id")
        .values_list("embed_hash", flat=True)[:2000]
    )
    SearchVector.objects.filter(text_hash__in=victims).delete()
    services._vectors_bump()
    enqueued = services.vectors_enqueue()
    before = len(services.vectors_pending())
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}@{settings['HOST'] or 'localhost'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "intranet.settings.test",
        "NEUVOKAS_SEARCH_SEMANTIC": "1",
        "CELERY_BROKER_URL": args.broker,
    }
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    worker = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "celery"),
            "-A",
            "intranet",
            "worker",
            "-P",
            "solo",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        # Wait until the worker has stored its first vectors: it is embedding.
        deadline = time.monotonic() + 120
        while len(services.vectors_pending()) >= before and time.monotonic() < deadline:
            time.sleep(0.5)
        started_with = len(services.vectors_pending())
        times = measure(queries, f"fused, while a worker embeds ({enqueued} enqueued)")
        searched_until = time.monotonic()
        done = started_with - len(services.vectors_pending())
        print(
            f"# the worker stored {done} documents' vectors during those searches (it gives "
            f"way while anyone searched in the last {services.SEARCH_QUIET_SECONDS:.0f} s)"
        )
        # ... and goes on once the searches stop.
        left = len(services.vectors_pending())
        resume_deadline = time.monotonic() + 60
        while len(services.vectors_pending()) >= left and time.monotonic() < resume_deadline:
            time.sleep(0.25)
        if len(services.vectors_pending()) < left:
            print(
                "# the worker resumed and stored vectors "
                f"{time.monotonic() - searched_until:.1f} s after the last search"
            )
        else:
            print("# WARNING: the worker did not resume after the searches")
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        from celery import current_app

        current_app.control.purge()
    return times


if __name__ == "__main__":
    main()
