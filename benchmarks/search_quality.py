#!/usr/bin/env python
"""Search quality: success@1, success@3 and MRR@10 over judged queries.

    .venv/bin/python benchmarks/search_quality.py \\
        --catalogue ../shared/search-eval/dev-catalogue.json \\
        --queries ../shared/search-eval/dev-queries.jsonl [-v]

Imports the catalogue into a fresh database (on ``DATABASE_URL``'s server, else the
embedded PostgreSQL; dropped afterwards), runs every query through ``/api/v1/search``
(with the query's ``municipality`` when it has one) and prints the figures for:

* the search with Voikko (the configured analyser),
* the same search degraded to Snowball stemming (as where libvoikko is missing),
* the baseline: PostgreSQL ``websearch_to_tsquery('finnish', q)`` over the Finnish
  title, summary and body, ranked by ``ts_rank``, with the same municipality filter.

A query succeeds at k when any of its ``relevant`` keys is among the first k results.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import setup_django, throwaway_database

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
    misses = []
    for item in queries:
        keys = run(item)
        relevant = set(item["relevant"])
        rank = next((i for i, k in enumerate(keys[:10], start=1) if k in relevant), None)
        s1 += rank == 1
        s3 += rank is not None and rank <= 3
        rr += 1 / rank if rank else 0.0
        zero += not keys
        if rank != 1:
            misses.append((rank, item["q"], item.get("municipality", ""), keys[:3]))
    n = len(queries)
    return {"s1": s1 / n, "s3": s3 / n, "mrr": rr / n, "zero": zero, "misses": misses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--catalogue", required=True)
    parser.add_argument("--queries", required=True)
    parser.add_argument("-v", "--verbose", action="store_true", help="list the misses")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    setup_django()
    from apps.catalogue.interchange import loads

    catalogue = loads(Path(args.catalogue).read_bytes())
    queries = [
        json.loads(line)
        for line in Path(args.queries).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]

    with throwaway_database("quality", keep=args.keep_db):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.db import connection
        from django.test import Client

        from apps.accounts.roles import ADVISOR
        from apps.catalogue.interchange import import_catalogue
        from apps.search import services
        from apps.search.analyzer import get_analyzer, voikko_available

        print(import_catalogue(catalogue))
        user = get_user_model().objects.create_user("quality")
        user.groups.add(Group.objects.get(name=ADVISOR))
        from apps.accounts.services import api_token_create

        _token, raw = api_token_create(user=user, name="quality benchmark")
        client = Client(HTTP_AUTHORIZATION=f"Token {raw}")

        def api(item: dict) -> list[str]:
            params = {"q": item["q"], "limit": 10}
            if item.get("municipality"):
                params["municipality"] = item["municipality"]
            response = client.get("/api/v1/search", params)
            assert response.status_code == 200, response.content
            return [r["key"] for r in response.json()["results"]]

        def baseline(item: dict) -> list[str]:
            with connection.cursor() as cursor:
                cursor.execute(BASELINE_SQL, {"q": item["q"], "m": item.get("municipality", "")})
                return [row[0] for row in cursor.fetchall()]

        rows = []
        configured = get_analyzer()
        rows.append((f"search, {configured.name}", evaluate(queries, api)))
        other = "snowball" if configured.name == "voikko" else "voikko"
        if other == "snowball" or voikko_available():
            services.rebuild_index(analyzer=get_analyzer(other))
            from apps.search import selectors

            original = selectors.get_analyzer
            selectors.get_analyzer = lambda name=None: get_analyzer(other)
            try:
                label = "degraded (no libvoikko)" if other == "snowball" else other
                rows.append((f"search, {other}: {label}", evaluate(queries, api)))
            finally:
                selectors.get_analyzer = original
                services.rebuild_index(analyzer=configured)
        rows.append(
            ("baseline: websearch_to_tsquery('finnish') + ts_rank", evaluate(queries, baseline))
        )

        entries = len(catalogue.get("services", [])) + len(catalogue.get("offers", []))
        print(f"\n{len(queries)} queries over {entries} entries\n")
        print(f"{'method':58} {'success@1':>9} {'success@3':>9} {'MRR@10':>7} {'no result':>9}")
        for name, r in rows:
            print(f"{name:58} {r['s1']:9.3f} {r['s3']:9.3f} {r['mrr']:7.3f} {r['zero']:9d}")
        if args.verbose:
            for name, r in rows:
                print(f"\nnot first — {name}:")
                for rank, q, m, top in r["misses"]:
                    print(f"  {rank!s:>4}  {q!r}{' @' + m if m else ''}  top: {top}")


if __name__ == "__main__":
    main()
