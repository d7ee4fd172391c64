#!/usr/bin/env python
"""Search quality: success@1, success@3 and MRR@10 over judged queries.

    .venv/bin/python benchmarks/search_quality.py \\
        --catalogue ../shared/search-eval/dev-catalogue.json \\
        --queries ../shared/search-eval/dev-queries.jsonl [-v]

Imports the catalogue into a fresh database (on ``DATABASE_URL``'s server, else the
embedded PostgreSQL; dropped afterwards), runs every query through ``/api/v1/search``
(with the query's ``municipality`` when it has one) and prints the figures for:

* the configured search: Voikko words fused with meaning (the embedding model's
  vectors, computed here for every entry first, timed),
* the same search by words only (as where the model package is missing),
* the same search degraded to Snowball stemming (as where libvoikko is missing),
* the baseline: PostgreSQL ``websearch_to_tsquery('finnish', q)`` over the Finnish
  title, summary and body, ranked by ``ts_rank``, with the same municipality filter.

Several ``--queries`` files may be given (the catalogue is embedded once); ``--grid``
then evaluates the fused search for every combination of fusion values
(``--grid semantic=0.3,0.4 cut=0.3,0.35``, names of :class:`apps.search.selectors.Fusion`)
and prints one table row per combination, for each set and for its odd and even lines,
so that a tuned constant can be seen to hold on halves of the data, not on one query.

A query succeeds at k when any of its ``relevant`` keys is among the first k results.
"results" is the average number of results a query returns (at most 10 are asked
for); "total" the average number the search reports found (after the weak tail is cut).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import database_exists, existing_database, setup_django, throwaway_database

BASELINE_SQL = """
    SELECT e.key
      FROM catalogue_entry e,
           websearch_to_tsquery('finnish', %(q)s) query
     WHERE to_tsvector('finnish', coalesce(e.title_fi, '') || ' ' || coalesce(e.summary_fi, '')
                       || ' ' || coalesce(e.body_fi, '')) @@ query
       AND (%(m)s = '' OR NOT EXISTS (SELECT 1 FROM catalogue_entry_municipalities em
                                       WHERE em.entry_id = e.id)
            OR EXISTS (SELECT 1 FROM catalogue_entry_municipalities em
                        WHERE em.entry_id = e.id AND em.municipality_id = %(m)s))
     ORDER BY ts_rank(to_tsvector('finnish', coalesce(e.title_fi, '') || ' '
                                  || coalesce(e.summary_fi, '') || ' '
                                  || coalesce(e.body_fi, '')), query) DESC, e.key
     LIMIT 10
"""


def evaluate(queries: list[dict], run) -> dict:
    s1 = s3 = 0
    rr = 0.0
    zero = 0
    returned = found = 0
    misses = []
    for item in queries:
        keys, total = run(item)
        returned += len(keys)
        found += total
        relevant = set(item["relevant"])
        rank = next((i for i, k in enumerate(keys[:10], start=1) if k in relevant), None)
        s1 += rank == 1
        s3 += rank is not None and rank <= 3
        rr += 1 / rank if rank else 0.0
        zero += not keys
        if rank != 1:
            misses.append((rank, item["q"], item.get("municipality", ""), keys[:3]))
    n = len(queries)
    return {
        "s1": s1 / n,
        "s3": s3 / n,
        "mrr": rr / n,
        "zero": zero,
        "returned": returned / n,
        "total": found / n,
        "misses": misses,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--catalogue", required=True)
    parser.add_argument("--queries", required=True, nargs="+")
    parser.add_argument(
        "--grid",
        nargs="+",
        metavar="NAME=V1,V2",
        help="fused search only, for every combination of these Fusion values",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="list the misses")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--use-db",
        metavar="NAME",
        help="reuse this database if it exists (imported and embedded), else fill and keep it",
    )
    args = parser.parse_args()
    os.environ.setdefault("NEUVOKAS_SEARCH_SEMANTIC", "1")  # the test settings turn it off
    setup_django()
    from apps.catalogue.interchange import loads

    catalogue = loads(Path(args.catalogue).read_bytes())
    sets = {
        Path(path).stem: [
            json.loads(line)
            for line in Path(path).read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        for path in args.queries
    }

    reuse = bool(args.use_db) and database_exists(args.use_db)
    if reuse:
        database = existing_database(args.use_db)
    else:
        database = throwaway_database(
            "quality", keep=args.keep_db or bool(args.use_db), name=args.use_db or ""
        )
    with database:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.db import connection
        from django.test import Client

        from apps.accounts.roles import ADVISOR
        from apps.catalogue.services import import_catalogue
        from apps.search import services
        from apps.search.analyzer import get_analyzer

        if not reuse:
            print(import_catalogue(catalogue))
        user, _created = get_user_model().objects.get_or_create(username="quality")
        user.groups.add(Group.objects.get(name=ADVISOR))
        from apps.accounts.services import api_token_create

        _token, raw = api_token_create(user=user, name="quality benchmark")
        client = Client(HTTP_AUTHORIZATION=f"Token {raw}")

        def api(item: dict) -> tuple[list[str], int]:
            params = {"q": item["q"], "limit": 10}
            if item.get("municipality"):
                params["municipality"] = item["municipality"]
            response = client.get("/api/v1/search", params)
            assert response.status_code == 200, response.content
            body = response.json()
            return [r["key"] for r in body["results"]], body["total"]

        def baseline(item: dict) -> tuple[list[str], int]:
            with connection.cursor() as cursor:
                cursor.execute(BASELINE_SQL, {"q": item["q"], "m": item.get("municipality", "")})
                keys = [row[0] for row in cursor.fetchall()]
                cursor.execute(
                    f"SELECT count(*) FROM ({BASELINE_SQL.replace('LIMIT 10', '')}) b",  # noqa: S608
                    {"q": item["q"], "m": item.get("municipality", "")},
                )
                return keys, cursor.fetchone()[0]

        from apps.search import semantic

        configured = get_analyzer()
        if semantic.enabled():
            pending = services.vectors_pending()
            started = time.perf_counter()
            services.vectors_compute(document_ids=pending)
            took = time.perf_counter() - started
            print(
                f"# embedded {len(pending)} documents in {took:.1f} s "
                f"({1000 * took / max(len(pending), 1):.0f} ms each, {semantic.MODEL_NAME})"
            )
        else:
            print("# semantic search unavailable (no model package): words only")
        if args.grid:
            run_grid(sets, api, args.grid)
            return
        for set_name, queries in sets.items():
            if len(sets) > 1:
                print(f"\n## {set_name}")
            report(queries, api, baseline, configured, catalogue, verbose=args.verbose)


def report(
    queries: list[dict], api, baseline, configured, catalogue: dict, *, verbose: bool
) -> None:
    """The rows of one query set: fused, words only, the other analyser, the baseline."""
    from django.test import override_settings

    from apps.search import semantic, services
    from apps.search.analyzer import get_analyzer, voikko_available

    rows = []
    if semantic.enabled():
        rows.append((f"search, {configured.name} + meaning (fused)", evaluate(queries, api)))
    with override_settings(NEUVOKAS_SEARCH_SEMANTIC=False):
        rows.append((f"search, {configured.name}, words only", evaluate(queries, api)))
    semantic.clear_caches()
    other = "snowball" if configured.name == "voikko" else "voikko"
    if other == "snowball" or voikko_available():
        services.rebuild_index(analyzer=get_analyzer(other))
        from apps.search import selectors

        original = selectors.get_analyzer
        selectors.get_analyzer = lambda name=None: get_analyzer(other)
        try:
            label = "degraded (no libvoikko)" if other == "snowball" else other
            with override_settings(NEUVOKAS_SEARCH_SEMANTIC=False):
                rows.append((f"search, {other}, words only: {label}", evaluate(queries, api)))
        finally:
            selectors.get_analyzer = original
            services.rebuild_index(analyzer=configured)
    rows.append(
        ("baseline: websearch_to_tsquery('finnish') + ts_rank", evaluate(queries, baseline))
    )

    entries = len(catalogue.get("services", [])) + len(catalogue.get("offers", []))
    print(f"\n{len(queries)} queries over {entries} entries\n")
    print(
        f"{'method':58} {'success@1':>9} {'success@3':>9} {'MRR@10':>7} {'no result':>9}"
        f" {'results':>7} {'total':>6}"
    )
    for name, r in rows:
        print(
            f"{name:58} {r['s1']:9.3f} {r['s3']:9.3f} {r['mrr']:7.3f} {r['zero']:9d}"
            f" {r['returned']:7.2f} {r['total']:6.1f}"
        )
    if verbose:
        for name, r in rows:
            print(f"\nnot first — {name}:")
            for rank, q, m, top in r["misses"]:
                print(f"  {rank!s:>4}  {q!r}{' @' + m if m else ''}  top: {top}")


def run_grid(sets: dict[str, list[dict]], api, specs: list[str]) -> None:
    """The fused search for every combination of the given Fusion values: success@3,
    MRR@10 and results per query, for each set and for its odd and even lines."""
    import itertools
    from unittest import mock

    from apps.search import selectors

    defaults = selectors.Fusion()
    axes: list[tuple[str, list]] = []
    for spec in specs:
        name, _, values = spec.partition("=")
        kind = type(getattr(defaults, name))
        axes.append((name, [kind(v) for v in values.split(",")]))
    names = [n for n, _v in axes]
    header = " ".join(f"{n[:9]:>9}" for n in names)
    print(f"\n{header}" + "".join(f" | {s[:35]:^35}" for s in sets))
    sub = " |  s@3   MRR  res s@3o s@3e  MRRo MRRe"
    print(" " * len(header) + sub * len(sets))
    for combo in itertools.product(*(v for _n, v in axes)):
        fusion = functools.partial(selectors.Fusion, **dict(zip(names, combo, strict=True)))
        cells = []
        with mock.patch.object(selectors, "Fusion", fusion):
            for queries in sets.values():
                ranks = []
                for item in queries:
                    keys, _total = api(item)
                    relevant = set(item["relevant"])
                    rank = next((i for i, k in enumerate(keys[:10], 1) if k in relevant), 0)
                    ranks.append((rank, len(keys)))
                odd, even = ranks[0::2], ranks[1::2]
                cells.append(
                    f" | {_s3(ranks):.3f} {_mrr(ranks):.3f} {_returned(ranks):4.1f}"
                    f" {_s3(odd):.2f} {_s3(even):.2f} {_mrr(odd):.3f} {_mrr(even):.2f}"
                )
        print(" ".join(f"{v!s:>9}" for v in combo) + "".join(cells), flush=True)


def _s3(ranks: list[tuple[int, int]]) -> float:
    return sum(0 < r <= 3 for r, _n in ranks) / len(ranks)


def _mrr(ranks: list[tuple[int, int]]) -> float:
    return sum(1 / r for r, _n in ranks if r) / len(ranks)


def _returned(ranks: list[tuple[int, int]]) -> float:
    return sum(n for _r, n in ranks) / len(ranks)


if __name__ == "__main__":
    main()
