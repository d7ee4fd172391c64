#!/usr/bin/env python
"""Report speed: every report kind over 1,000,000 contact records.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/report_speed.py [--contacts 1000000] [--keep-db]

Creates a throwaway database (on ``DATABASE_URL``'s server, else the embedded
PostgreSQL), migrates it and fills it in SQL (``INSERT … SELECT generate_series``):

* 1,000,000 contacts spread over the two years before this month,
* in proportion: 1.5 search-log rows per contact, a consultation thread per 25
  contacts with 2–3 answers each, a callback per 20 contacts, a published story per 500,
  3,000 catalogue entries with 60 owners.

Then it runs each report kind (``services.report_generate``: every query, the JSON and
the write) for the last whole month and for the last two whole months, and prints the
time of each. The goal is at most 10 s each; the exit status is 1 if any is slower.

Rows are cloned from one template row made through the ORM, so columns added to the
models later get their template values instead of breaking the insert.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import existing_database, server_version, setup_django, throwaway_database

# ruff: noqa: S608 - the SQL here is built from this file's own constants.

GOAL_SECONDS = 10.0

TOPICS = [
    "kuljetuspalvelu",
    "omaishoidon tuki",
    "asumistuki",
    "toimeentulotuki",
    "kotihoito",
    "henkilökohtainen apu",
    "perhetyö",
    "lastensuojelu",
    "päihdepalvelut",
    "velkaneuvonta",
    "kotipalvelu",
    "tehostettu palveluasuminen",
    "muistihoitaja",
    "sosiaalihätäpäivystys",
    "vammaispalvelujen hakemus",
    "apuvälineet",
    "ruoka-apu",
    "työllisyyspalvelut",
    "kuntouttava työtoiminta",
    "omaishoidon vapaat",
]
QUERIES = [
    *TOPICS,
    *(f"{t} {w}" for t in TOPICS for w in ("hakemus", "kotka", "kouvola", "hinta", "ohje")),
    *(f"harvinainen haku {n}" for n in range(300)),
]


def _sql_array(values: list[str]) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _pick(array_sql: str, length: int) -> str:
    """A random element per row (``random()`` is evaluated row by row)."""
    return f"({array_sql})[1 + floor(random() * {length})::int]"


def clone(model, template_pk: int, count: int, overrides: dict[str, str]) -> None:
    """Insert ``count`` copies of a template row, with SQL expressions for some columns
    (``g.i`` is the row number)."""
    from django.db import connection

    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    qn = connection.ops.quote_name
    select = [overrides.pop(c, f"t.{qn(c)}") for c in columns]
    assert not overrides, f"unknown columns {overrides}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in columns)}) "
            f"SELECT {', '.join(select)} FROM {qn(table)} t, generate_series(1, %s) AS g(i) "
            f"WHERE t.id = %s",
            [count, template_pk],
        )
        cursor.execute(f"DELETE FROM {qn(table)} WHERE id = %s", [template_pk])


def fill(contacts: int, end) -> None:
    """Fill the database; ``end`` is the first instant after the data (a Helsinki
    midnight, the first of this month)."""
    import uuid

    from django.db import connection
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.catalogue.models import Entry, Municipality, ServiceLine
    from apps.consultations.models import Answer, Callback, Thread
    from apps.contacts.models import ContactRecord
    from apps.search.models import SearchLog
    from apps.stories.models import Story, Theme

    span = "interval '730 days'"
    start_sql = f"('{end.isoformat()}'::timestamptz - {span})"
    random_time = f"{start_sql} + random() * {span}"
    lines = list(ServiceLine.objects.values_list("pk", flat=True))
    municipalities = list(Municipality.objects.values_list("code", flat=True))
    line_pick = _pick("ARRAY[" + ",".join(map(str, lines)) + "]::bigint[]", len(lines))

    def run(sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)

    started = time.monotonic()
    now = timezone.now()
    # The rows are consistent by construction: skip the foreign-key triggers while
    # filling (needs a superuser, as the local postgres role is).
    run("SET session_replication_role = replica")
    users = User.objects.bulk_create(
        [User(username=f"neuvoja{n}", email=f"neuvoja{n}@example.org") for n in range(200)]
        + [User(username=f"omistaja{n}", email=f"omistaja{n}@example.org") for n in range(60)]
    )
    advisors = [u.pk for u in users[:200]]
    owners = [u.pk for u in users[200:]]
    advisor_pick = _pick("ARRAY[" + ",".join(map(str, advisors)) + "]::bigint[]", 200)
    owner_pick = _pick("ARRAY[" + ",".join(map(str, owners)) + "]::bigint[]", 60)

    template = Entry.objects.create(
        kind="service",
        key="template",
        title="Palvelu",
        title_fi="Palvelu",
        summary="Kuvaus",
        summary_fi="Kuvaus",
    )
    clone(
        Entry,
        template.pk,
        3000,
        {
            "key": "'palvelu-' || g.i",
            "title": "'Palvelu ' || g.i",
            "title_fi": f"{_pick(_sql_array(TOPICS), len(TOPICS))} || ' ' || g.i",
            "owner_id": f"CASE WHEN random() < 0.9 THEN {owner_pick} END",
            "last_reviewed": "CASE WHEN random() < 0.95 THEN (current_date - "
            "(random() * 700)::int) END",
            "review_interval_days": "(ARRAY[90, 180, 365, NULL])[1 + floor(random() * 4)::int]",
        },
    )
    run(
        "INSERT INTO catalogue_entry_service_lines (entry_id, serviceline_id) "
        f"SELECT id, {line_pick} FROM catalogue_entry"
    )
    entry_ids = "(SELECT array_agg(id) FROM catalogue_entry)"

    template = ContactRecord.objects.create(
        service_line_id=lines[0], channel="phone", topic_text="x", submission_key=uuid.uuid4()
    )
    channel = _pick("ARRAY['phone','phone','phone','chat','visit','authority']", 6)
    municipality = _pick(_sql_array(municipalities), len(municipalities))
    referral = _pick("ARRAY['','','','','area_service','kela','third_sector','other']", 8)
    clone(
        ContactRecord,
        template.pk,
        contacts,
        {
            "advisor_id": advisor_pick,
            "created_at": random_time,
            "service_line_id": line_pick,
            "channel": channel,
            "municipality_id": f"CASE WHEN random() < 0.9 THEN {municipality} END",
            "entry_id": f"CASE WHEN random() < 0.7 THEN {entry_ids}"
            "[1 + floor(random() * 3000)::int] END",
            "topic_text": f"{_pick(_sql_array(TOPICS), len(TOPICS))}",
            "solved": "random() < 0.7",
            "consulted": "random() < 0.15",
            "referred_to": referral,
            "anonymous": "random() < 0.3",
            "submission_key": "gen_random_uuid()",
        },
    )
    # Free topics only where no entry was chosen (as the form stores them).
    run("UPDATE contacts_contactrecord SET topic_text = '' WHERE entry_id IS NOT NULL")
    print(f"# contacts: {contacts:,} in {time.monotonic() - started:.0f} s")

    searches = contacts * 3 // 2
    template = SearchLog.objects.create(source="page", query="x")
    query = _pick(_sql_array(QUERIES), len(QUERIES))
    clone(
        SearchLog,
        template.pk,
        searches,
        {
            "created_at": random_time,
            "user_id": advisor_pick,
            "source": _pick("ARRAY['page','page','live','api']", 4),
            "query": query,
            "result_count": "CASE WHEN random() < 0.12 THEN 0 ELSE (random() * 40)::int END",
            "opened_position": "CASE WHEN random() < 0.6 THEN 1 + (random() * 5)::int END",
        },
    )
    run(
        "UPDATE search_searchlog SET opened_at = created_at + interval '20 seconds' "
        "WHERE opened_position IS NOT NULL AND result_count > 0"
    )
    run(
        "UPDATE search_searchlog SET opened_position = NULL "
        "WHERE opened_at IS NULL AND opened_position IS NOT NULL"
    )
    print(f"# search log: {searches:,} in {time.monotonic() - started:.0f} s")

    threads = contacts // 25
    template = Thread.objects.create(title="Kysymys", body="Miten?", service_line_id=lines[0])
    clone(
        Thread,
        template.pk,
        threads,
        {
            "created_at": random_time,
            "service_line_id": line_pick,
            "author_id": advisor_pick,
            "title": "'Kysymys ' || g.i",
        },
    )
    run("UPDATE consultations_thread SET updated_at = created_at, last_activity_at = created_at")
    template_answer = Answer.objects.create(
        thread_id=Thread.objects.values_list("pk", flat=True).first(), body="Näin."
    )
    for n in range(3):
        share = 1.0 if n < 2 else 0.5
        run(
            "INSERT INTO consultations_answer (created_at, updated_at, thread_id, author_id, "
            "kind, body, version) SELECT t.created_at + random() * interval '40 hours', now(), "
            f"t.id, {advisor_pick}, CASE WHEN random() < 0.85 THEN 'answer' ELSE 'comment' END, "
            f"'Näin.', 1 FROM consultations_thread t WHERE random() < {share}"
        )
    Answer.objects.filter(pk=template_answer.pk).delete()
    run(
        "UPDATE consultations_thread t SET status = 'solved', solution_id = a.id, "
        "solved_at = a.created_at + random() * interval '10 hours' "
        "FROM (SELECT DISTINCT ON (thread_id) thread_id, id, created_at "
        "      FROM consultations_answer WHERE kind = 'answer' "
        "      ORDER BY thread_id, created_at) a "
        "WHERE a.thread_id = t.id AND random() < 0.7"
    )
    callbacks = contacts // 20
    template = Callback.objects.create(service_line_id=lines[0], due_at=now, reason="Soita.")
    clone(
        Callback,
        template.pk,
        callbacks,
        {
            "created_at": random_time,
            "service_line_id": line_pick,
            "requester_id": advisor_pick,
            "status": "CASE WHEN random() < 0.95 THEN 'done' ELSE 'open' END",
        },
    )
    run("UPDATE consultations_callback SET due_at = created_at + interval '4 hours', phone = ''")
    run(
        "UPDATE consultations_callback SET done_at = created_at + random() * interval '6 hours'"
        " WHERE status = 'done'"
    )
    print(
        f"# consultations: {threads:,} threads, {callbacks:,} callbacks "
        f"in {time.monotonic() - started:.0f} s"
    )

    stories = contacts // 500
    template = Story.objects.create(title="Tarina", state="published", published_at=now)
    clone(
        Story,
        template.pk,
        stories,
        {
            "published_at": random_time,
            "title": "'Tarina ' || g.i",
            "unit": _pick(
                "ARRAY['Kotkan sosiaaliohjaus','Kouvolan palveluohjaus',"
                "'Haminan tiimi','Vammaispalvelut','']",
                5,
            ),
            "waiting_days_before": "CASE WHEN random() < 0.6 THEN 20 + (random() * 40)::int END",
            "waiting_days_after": "CASE WHEN random() < 0.6 THEN (random() * 20)::int END",
            "partners_count": "CASE WHEN random() < 0.5 THEN (random() * 6)::int END",
            "savings_eur": "CASE WHEN random() < 0.3 THEN (random() * 20000)::int END",
        },
    )
    themes = list(Theme.objects.values_list("pk", flat=True))
    theme_pick = _pick("ARRAY[" + ",".join(map(str, themes)) + "]::bigint[]", len(themes))
    run(
        f"INSERT INTO stories_story_themes (story_id, theme_id) SELECT DISTINCT id, t FROM "
        f"(SELECT id, {theme_pick} AS t FROM stories_story UNION ALL "
        f" SELECT id, {theme_pick} FROM stories_story WHERE random() < 0.4) s"
    )
    print(f"# stories: {stories:,} in {time.monotonic() - started:.0f} s")

    run("SET session_replication_role = DEFAULT")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"# filled and analysed in {time.monotonic() - started:.0f} s")


def run_reports() -> bool:
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.reports import services
    from apps.reports.models import Kind, Report
    from apps.reports.periods import months_before

    # Run as a manager's "run now": a scheduled run would enqueue its e-mail task.
    manager = User.objects.create(username="benchmark-manager")
    today = timezone.localdate()
    periods = [("1 month", months_before(today, 1)), ("2 months", months_before(today, 2))]
    ok = True
    print(f"{'report':<16}{'period':<26}{'seconds':>9}")
    for kind in Kind.values:
        for label, period in periods:
            report = services.report_request(
                kind=kind,
                period_start=period.start,
                period_end=period.end,
                started_by=manager,
                rerun=True,
            )
            started = time.perf_counter()
            outcome = services.report_generate(report_id=report.pk)
            elapsed = time.perf_counter() - started
            assert outcome == "done", outcome
            ok = ok and elapsed <= GOAL_SECONDS
            print(f"{kind:<16}{label + ' ' + period.label():<26}{elapsed:>9.2f}")
    sample = Report.objects.get(
        kind=Kind.CONTACTS, period_start=periods[0][1].start, period_end=periods[0][1].end
    )
    print(f"# check: {sample.figures['totals']['count']:,} contacts in {periods[0][1].label()}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--keep-db", action="store_true", help="keep the filled database")
    parser.add_argument("--use-db", help="an already filled database (from --keep-db)")
    args = parser.parse_args()
    setup_django()

    from django.utils import timezone

    from apps.reports.periods import local_midnight

    end = local_midnight(timezone.localdate().replace(day=1))
    if args.use_db:
        with existing_database(args.use_db):
            return 0 if run_reports() else 1
    with throwaway_database("reports", keep=args.keep_db):
        print(f"# {server_version()}")
        fill_started = time.monotonic()
        fill(args.contacts, end)
        print(f"# fill took {time.monotonic() - fill_started:.0f} s")
        ok = run_reports()
    print(f"# all within {GOAL_SECONDS:.0f} s: {'yes' if ok else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
