#!/usr/bin/env python
"""Page cost: CPU time of one request per page, in the Django process, one at a time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/page_cost.py [--repeat 20] [--templates]

Creates a throwaway database with the demo catalogue and content (as ``make run`` has
it), signs an advisor in and requests the pages of benchmarks/locustfile.py through
Django's test client: no HTTP, no server, no other request at the same time. Prints, per
page, the median wall time and the median CPU time of this process (Python's own work:
middleware, view, templates; PostgreSQL's work is in the wall time only), and the SQL
queries. The notification badge, a request that renders almost nothing, is the same
run's baseline: the fixed cost of any signed-in request. ``--templates`` adds each
template's share of the CPU time (a template's figure includes the templates it
includes or extends).

CPU time is far less disturbed by other processes than wall time, so the figures can be
compared between runs on a busy machine; it does not count time waiting for a core.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import setup_django, throwaway_database


def pages(entry_key: str) -> dict[str, tuple[str, dict[str, str]]]:
    htmx = {"HTTP_HX_REQUEST": "true"}
    return {
        "notification badge (baseline)": ("/ilmoitukset/laskuri/", htmx),
        "live search (htmx)": ("/haku/pika/?q=omaishoi", htmx),
        "front page (desk)": ("/", {}),
        "catalogue": ("/palvelut/", {}),
        "entry": (f"/palvelut/kortti/{entry_key}/", {}),
        "record a contact": ("/yhteydenotot/kirjaa/", {}),
        "ask a question": ("/kysymykset/uusi/", {}),
        "question board": ("/kysymykset/", {}),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--templates", action="store_true", help="CPU time per template")
    args = parser.parse_args()
    setup_django()
    import logging

    logging.disable(logging.INFO)  # the request log line of every request

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.template import base as template_base
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    per_template: collections.Counter[str] = collections.Counter()
    if args.templates:
        render = template_base.Template.render

        def timed(self: template_base.Template, context: object) -> object:
            started = time.process_time()
            try:
                return render(self, context)  # type: ignore[arg-type]
            finally:
                per_template[str(self.name)] += time.process_time() - started

        template_base.Template.render = timed  # type: ignore[method-assign]

    with throwaway_database("pagecost"):
        root = Path(__file__).resolve().parent.parent
        call_command("import_catalogue", str(root / "demo" / "catalogue.json"), verbosity=0)
        call_command("seed_demo", verbosity=0)
        call_command("seed_demo_content", verbosity=0)
        from apps.catalogue.models import Entry

        advisor = get_user_model().objects.create_user(
            username="kustannus", password=None, email="kustannus@example.org"
        )
        advisor.groups.add(Group.objects.get(name="Neuvoja"))
        client = Client()
        client.force_login(advisor)
        key = Entry.objects.order_by("pk").values_list("key", flat=True).first() or ""
        print(f"\n{'page':32} {'status':>6} {'wall ms':>8} {'CPU ms':>7} {'queries':>7}")
        for name, (url, headers) in pages(key).items():
            client.get(url, **headers)  # warm: templates loaded, caches filled
            per_template.clear()
            wall, cpu = [], []
            status = 0
            for _ in range(args.repeat):
                w, c = time.perf_counter(), time.process_time()
                status = client.get(url, **headers).status_code
                wall.append((time.perf_counter() - w) * 1000)
                cpu.append((time.process_time() - c) * 1000)
            with CaptureQueriesContext(connection) as queries:
                client.get(url, **headers)
            print(
                f"{name:32} {status:>6} {statistics.median(wall):8.1f} "
                f"{statistics.median(cpu):7.1f} {len(queries):>7}"
            )
            for template, seconds in per_template.most_common(5) if args.templates else ():
                share = seconds / args.repeat * 1000
                print(f"{'':34}{share:6.1f} ms  {template}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
