#!/usr/bin/env python
"""Search speed with the worst case planted: the largest texts the models allow, of one
repeated word, as a solved answer and as an entry body (and a 640 KB answer from before
the limits existed, written straight to the database).

    .venv/bin/python benchmarks/search_worst_case.py [--entries 4000] [--posts 20000]
        [--queries 200]

Fills a throwaway database like ``search_speed.py`` (fewer documents by default) and
plants three documents about one word with texts of normal length, then times
``/api/v1/search`` and the header's live search ``/haku/pika/`` (the whole Django
request) over the same queries twice in one run: before and after those texts are
replaced by the worst case. The queries are the usual mix plus queries that match the
planted word, so every planted document is a hit and needs a snippet both times. Prints
p50/p95 for each.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import percentile, setup_django, throwaway_database
from search_speed import DEFAULT_CATALOGUE, DEFAULT_QUERIES, Corpus, fill, make_queries

WORD = "omaishoitajan"  # found by "omaishoitaja", "omaishoitajan vapaat", "omais"…
# What was possible before the models bounded their texts (the example).
LEGACY_ANSWER = 640 * 1024
MATCHING = [
    "omaishoitaja",
    "omaishoitajan vapaat",
    "omaishoitajan tuki",
    "omais",
    "omaishoitajalle",
    "omaishoitajien",
]


def repeated(size: int) -> str:
    return ((WORD + " ") * (size // (len(WORD) + 1) + 1))[:size].strip()


NORMAL = (
    "Omaishoitajan vapaat järjestetään sopimuksen mukaan, ja omaishoitajan sijaisena "
    "toimii lomittaja. Omaishoitajan kannattaa kysyä lisää omaishoidon ohjaajalta."
)


def plant() -> list[tuple[Any, str, int]]:
    """Two solved threads and an entry about the planted word, of normal length: the
    baseline, so that the same queries find the same number of documents before and
    after the worst case replaces their texts."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from apps.catalogue.models import Entry, ServiceLine
    from apps.consultations.models import Answer, Thread
    from apps.core import limits
    from apps.search import services

    user_model = get_user_model()
    author = user_model.objects.create_user("worst-author")
    answerer = user_model.objects.create_user("worst-answerer")
    line = ServiceLine.objects.order_by("pk").first()
    planted: list[tuple[Any, str, int]] = []
    for label, size in (
        ("answer (ANSWER_BODY)", limits.ANSWER_BODY),
        ("legacy answer (640 KB)", LEGACY_ANSWER),
    ):
        thread = Thread.objects.create(
            author=author, title=f"Omaishoito: {label}", body=NORMAL, service_line=line
        )
        answer = Answer.objects.create(thread=thread, author=answerer, body=NORMAL)
        thread.solution, thread.status = answer, Thread.Status.SOLVED
        thread.solved_by, thread.solved_at = author, timezone.now()
        thread.save()
        services.index_object(thread)
        planted.append((thread, label, size))
    entry = Entry.objects.create(
        kind="service",
        key="worst-case",
        title="Omaishoito",
        title_fi="Omaishoito",
        summary=NORMAL,
        summary_fi=NORMAL,
        body=NORMAL,
        body_fi=NORMAL,
    )
    entry.service_lines.add(line)
    services.index_object(entry)
    planted.append((entry, "entry body (ENTRY_BODY)", limits.ENTRY_BODY))
    return planted


def make_worst(planted: list[tuple[Any, str, int]]) -> None:
    """The planted documents' texts become one word repeated to the largest size."""
    from apps.catalogue.models import Entry
    from apps.core import limits
    from apps.search import services

    for obj, _label, size in planted:
        if isinstance(obj, Entry):
            obj.body = obj.body_fi = repeated(size)
            obj.save(update_fields=["body", "body_fi"])
        else:
            obj.body = repeated(min(size, limits.THREAD_BODY))
            obj.save(update_fields=["body"])
            obj.solution.body = repeated(size)
            obj.solution.save(update_fields=["body"])
        services.index_object(obj)


def timed(queries: list[dict]) -> dict[str, list[float]]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from apps.accounts.roles import ADVISOR
    from apps.accounts.services import api_token_create

    user, _ = get_user_model().objects.get_or_create(username="bench-worst")
    user.groups.add(Group.objects.get(name=ADVISOR))
    _token, raw = api_token_create(user=user, name="benchmark")
    api = Client(HTTP_AUTHORIZATION=f"Token {raw}")
    live = Client()
    live.force_login(user)
    out: dict[str, list[float]] = {"api": [], "live": []}
    for q in queries[:10]:  # warm up
        api.get("/api/v1/search", {**q, "limit": 10})
        live.get("/haku/pika/", {"q": q["q"]})
    for q in queries:
        started = time.perf_counter()
        response = api.get("/api/v1/search", {**q, "limit": 10})
        out["api"].append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content
        started = time.perf_counter()
        response = live.get("/haku/pika/", {"q": q["q"]})
        out["live"].append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return out


def report(label: str, times: dict[str, list[float]]) -> None:
    for kind, values in times.items():
        print(
            f"{label:<28} {kind:<5} p50 {percentile(values, 0.5):7.1f} ms  "
            f"p95 {percentile(values, 0.95):7.1f} ms  max {max(values):7.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=4_000)
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--catalogue", default=str(DEFAULT_CATALOGUE))
    parser.add_argument("--queries-file", default=str(DEFAULT_QUERIES))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    setup_django()
    rng = random.Random(args.seed)
    data = json.loads(Path(args.catalogue).read_text(encoding="utf-8"))
    with throwaway_database("worst", keep=args.keep_db):
        from apps.catalogue.interchange import import_catalogue
        from apps.search.analyzer import get_analyzer

        import_catalogue(
            {k: v for k, v in data.items() if k in ("format", "municipalities", "service_lines")}
        )
        corpus = Corpus(data, rng)
        fill(args, corpus)
        mix = make_queries(args, corpus)
        matching = [{"q": q} for q in MATCHING] * 5
        print(
            f"# analyzer: {get_analyzer().name}; {len(mix)} mixed queries, "
            f"{len(matching)} matching the planted word"
        )
        planted = plant()
        before = {"mix": timed(mix), "matching": timed(matching)}
        started = time.monotonic()
        make_worst(planted)
        print(
            f"# worst case written and indexed in {time.monotonic() - started:.1f} s: "
            + ", ".join(f"{label} {size:,} chars of '{WORD}'" for _obj, label, size in planted)
        )
        after = {"mix": timed(mix), "matching": timed(matching)}
        for name in ("mix", "matching"):
            report(f"{name}, without worst case", before[name])
            report(f"{name}, with worst case", after[name])


if __name__ == "__main__":
    main()
