#!/usr/bin/env python
"""Push latency: caller-waiting questions reaching the colleagues on the line.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/push_latency.py [--clients 50] [--questions 40]

Creates a throwaway database (on ``DATABASE_URL``'s server, else the embedded
PostgreSQL), starts uvicorn as ``make run`` does (two worker processes) and then, in the
same run and at the same time:

* ``--clients`` advisors spread over the service lines, each with an open live stream
  (``/live/stream/``, one SSE connection each, spread over both workers by the kernel);
* the same number of advisors polling the board of their line every 15 s (today's
  fallback), each starting at a random point of its interval;
* posters (one per line, not among the clients) posting ``--questions`` caller-waiting
  questions through the real form (``POST /kysymykset/uusi/``), one every
  ``--interval`` seconds on a random line.

A question's time is its ``created_at`` (set in its transaction, a few milliseconds
before the commit, so the delays below are slightly overstated). For each client that
should get it (serves its line) the delay to the arrival of its ``question.waiting``
event, or to the first poll of the board that lists it, is recorded. An event at a
client that should not get it is "misdelivered"; an expected one that never came (by
``--grace`` seconds after the last post) is "lost". The exit status is 1 unless the
push p95 is at most 1 s with nothing lost or misdelivered.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import percentile, server_version, setup_django, throwaway_database

ROOT = Path(__file__).resolve().parent.parent
GOAL_P95 = 1.0
POLL_SECONDS = 15.0
WORDS = ["kuljetus", "omaishoito", "asumistuki", "toimeentulo", "kotihoito", "perhetyo"]


def database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    host = quote(s["HOST"] or "127.0.0.1", safe="")
    password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    user = quote(s["USER"] or "postgres", safe="")
    return f"postgres://{user}{password}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


def make_people(clients: int) -> tuple[dict, dict, dict]:
    """Advisors for streams and for polling, and one poster per line; their sessions."""
    from django.contrib.auth.models import Group
    from django.test import Client

    from apps.accounts import roles
    from apps.accounts.models import User
    from apps.catalogue.models import ServiceLine

    lines = list(ServiceLine.objects.order_by("pk"))
    group = Group.objects.get(name=roles.ADVISOR)

    def person(name: str, line) -> dict:
        user = User.objects.create_user(username=name, password=None, first_name=name)
        user.groups.add(group)
        user.service_lines.add(line)
        client = Client()
        client.force_login(user)
        return {
            "id": user.pk,
            "line": line.pk,
            "key": line.key,
            "cookie": client.cookies["sessionid"].value,
        }

    streams = {f"s{i}": person(f"s{i}", lines[i % len(lines)]) for i in range(clients)}
    pollers = {f"p{i}": person(f"p{i}", lines[i % len(lines)]) for i in range(clients)}
    posters = {line.pk: person(f"poster{line.pk}", line) for line in lines}
    return streams, pollers, posters


def start_server(port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "intranet.settings.test",
        "DATABASE_URL": database_url(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "intranet.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "2",
            "--lifespan",
            "off",
            "--no-access-log",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def wait_up(base: str) -> None:
    import httpx

    async with httpx.AsyncClient() as client:
        for _ in range(600):
            try:
                if (await client.get(base + "/terveys/", timeout=2)).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("uvicorn did not start")


async def stream_client(base, name, person, arrivals, opened, stop) -> None:
    import httpx

    async with (
        httpx.AsyncClient(
            cookies={"sessionid": person["cookie"]}, timeout=httpx.Timeout(30, read=None)
        ) as client,
        client.stream("GET", base + "/live/stream/") as response,
    ):
        assert response.status_code == 200, response.status_code
        opened.add(name)
        async for line in response.aiter_lines():
            if stop.is_set():
                return
            if line.startswith("data: "):
                data = json.loads(line[6:])
                if data.get("kind") == "question.waiting":
                    arrivals[(data["payload"]["thread"], name)] = time.time()


async def poll_client(base, name, person, arrivals, stop) -> None:
    import httpx

    url = f"{base}/kysymykset/?line={person['key']}"
    async with httpx.AsyncClient(cookies={"sessionid": person["cookie"]}, timeout=30) as client:
        await asyncio.sleep(random.uniform(0, POLL_SECONDS))  # a random phase
        while not stop.is_set():
            response = await client.get(url, headers={"HX-Request": "true"})
            now = time.time()
            for thread_id in {
                int(m) for m in re.findall(r'href="/kysymykset/(\d+)/"', response.text)
            }:
                arrivals.setdefault((thread_id, name), now)
            await asyncio.sleep(POLL_SECONDS)


async def post_question(client, base, line_id, title) -> None:
    form = await client.get(base + "/kysymykset/uusi/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    response = await client.post(
        base + "/kysymykset/uusi/",
        data={
            "csrfmiddlewaretoken": token,
            "title": title,
            "body": "Asiakas odottaa linjalla, mitä vastaan?",
            "service_line": str(line_id),
            "urgency": "waiting",
        },
        headers={"Referer": base + "/kysymykset/uusi/"},
    )
    assert response.status_code == 302, (response.status_code, response.text[:500])


async def run(args, streams, pollers, posters) -> tuple[dict, dict]:
    import httpx

    base = f"http://127.0.0.1:{args.port}"
    await wait_up(base)
    push, poll = {}, {}
    opened: set[str] = set()
    stop = asyncio.Event()
    tasks = [
        asyncio.create_task(stream_client(base, n, p, push, opened, stop))
        for n, p in streams.items()
    ]
    tasks += [asyncio.create_task(poll_client(base, n, p, poll, stop)) for n, p in pollers.items()]
    while len(opened) < len(streams):
        await asyncio.sleep(0.05)
    print(f"# {len(opened)} streams open, {len(pollers)} pollers started")
    await asyncio.sleep(1.0)  # let both workers' listeners settle
    rng = random.Random(11)
    posting = {
        line: httpx.AsyncClient(
            cookies={"sessionid": p["cookie"]}, timeout=30, follow_redirects=False
        )
        for line, p in posters.items()
    }
    for i in range(args.questions):
        line = rng.choice(list(posters))
        title = f"Mittaus {rng.choice(WORDS)} {rng.choice(WORDS)} {chr(97 + i % 26)}"
        await post_question(posting[line], base, line, title)
        await asyncio.sleep(args.interval)
    await asyncio.sleep(max(args.grace, POLL_SECONDS + 1))
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for client in posting.values():
        await client.aclose()
    return push, poll


def summarise(label: str, arrivals: dict, threads: dict, clients: dict) -> tuple[list, int, int]:
    delays, lost, misdelivered = [], 0, 0
    for thread_id, name in arrivals:
        if thread_id not in threads:
            continue
        if clients[name]["line"] != threads[thread_id][1]:
            misdelivered += 1
    for thread_id, (created, line) in threads.items():
        for name, person in clients.items():
            if person["line"] != line:
                continue
            at = arrivals.get((thread_id, name))
            if at is None:
                lost += 1
            else:
                delays.append(at - created)
    print(
        f"{label:<28} {len(delays):>9} {percentile(delays, 0.5) * 1000:>9.0f} "
        f"{percentile(delays, 0.95) * 1000:>9.0f} {max(delays, default=0) * 1000:>9.0f} "
        f"{lost:>6} {misdelivered:>13}"
    )
    return delays, lost, misdelivered


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between posts")
    parser.add_argument("--grace", type=float, default=5.0)
    parser.add_argument("--port", type=int, default=8190)
    args = parser.parse_args()
    setup_django()
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)
    from apps.consultations.models import Thread

    with throwaway_database("push"):
        streams, pollers, posters = make_people(args.clients)
        from django.db import connection

        connection.close()
        server = start_server(args.port)
        try:
            push, poll = asyncio.run(run(args, streams, pollers, posters))
        finally:
            server.terminate()
            server.wait(timeout=30)
        threads = {
            t.pk: (t.created_at.timestamp(), t.service_line_id)
            for t in Thread.objects.filter(title__startswith="Mittaus")
        }
        print(
            f"# {server_version()}, uvicorn 2 workers, {len(threads)} caller-waiting questions "
            f"posted over HTTP every {args.interval} s on {len(posters)} lines, "
            f"{len(streams)} SSE clients and {len(pollers)} board pollers ({POLL_SECONDS:.0f} s)"
        )
        print(
            f"{'delivery':<28} {'arrivals':>9} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9} "
            f"{'lost':>6} {'misdelivered':>13}"
        )
        delays, lost, wrong = summarise("push (SSE, this change)", push, threads, streams)
        summarise("polling every 15 s (today)", poll, threads, pollers)
        from apps.live.models import LiveEvent

        published = [
            e.created_at.timestamp() - threads[e.payload["thread"]][0]
            for e in LiveEvent.objects.filter(kind="question.waiting")
            if e.payload.get("thread") in threads
        ]
        print(
            f"# of the push delay: question created -> event stored after the commit "
            f"p50 {percentile(published, 0.5) * 1000:.0f} ms, "
            f"p95 {percentile(published, 0.95) * 1000:.0f} ms, "
            f"max {max(published, default=0) * 1000:.0f} ms"
        )
    ok = percentile(delays, 0.95) <= GOAL_P95 and lost == 0 and wrong == 0 and delays
    print(
        f"# goal: push p95 <= {GOAL_P95 * 1000:.0f} ms, 0 lost, 0 misdelivered: "
        f"{'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
