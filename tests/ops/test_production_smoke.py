"""Production smoke test: the stack as production runs it, driven over HTTP.

Production settings (``intranet.settings.base``), uvicorn with two worker processes, a
Celery worker and Celery beat as separate processes, Redis on 127.0.0.1:6379 and a fresh
database on the suite's PostgreSQL server (tests/ops/stack.py). A real HTTP client signs
in with a local password, searches, opens an entry, posts a question, answers it, runs a
report and downloads its CSV. It fails loudly (no Redis, no server: an error), never skips.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Iterator

import pytest
import redis
from django.db import connection

from tests.helpers import wait_for
from tests.ops.stack import REDIS_URL, DatabaseServer, Stack, client, csrf_token, options, sign_in

PASSWORD = "smoke-Test-pw-2f9c1a"


@pytest.fixture
def stack(tmp_path, django_db_blocker) -> Iterator[Stack]:
    assert redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping(), "Redis is not answering"
    db = connection.settings_dict
    server = DatabaseServer(
        host=db["HOST"] or "127.0.0.1", port=int(db["PORT"] or 5432), user=db["USER"]
    )
    running = Stack(server=server, workdir=tmp_path)
    try:
        running.prepare(superuser="yllapito", password=PASSWORD)
        running.start()
        yield running
    finally:
        running.cleanup()
    for name, process in running.processes.items():
        assert process.returncode is not None, f"{name} still running"


def test_production_stack_serves_the_advisors_day(stack):
    ready = stack.wait_ready()
    assert ready["checks"] == {"database": "ok", "broker": "ok", "worker": "ok", "beat": "ok"}

    with client(stack.base_url) as http:
        # Production settings: plain HTTP without the proxy's header is sent to HTTPS.
        bare = http.get("/kirjaudu/", headers={"X-Forwarded-Proto": ""})
        assert bare.status_code == 301
        assert bare.headers["location"].startswith("https://")

        sign_in(http, "yllapito", PASSWORD)
        home = http.get("/")
        assert home.status_code == 200
        assert "strict-transport-security" in home.headers
        assert re.fullmatch(r"[0-9a-f]{32}", home.headers["x-request-id"])

        # Static files through whitenoise, with the manifest's hashed names.
        css = re.search(r'href="(/static/[^"]+\.css)"', home.text)
        assert css, "no stylesheet on the front page"
        assert http.get(css.group(1)).status_code == 200

        # Search, and open the first hit.
        results = http.get("/haku/", params={"q": "omaishoito"})
        assert results.status_code == 200
        hit = re.search(r'href="(/haku/avaa/[^"]*to=/palvelut/kortti/[^"]*)"', results.text)
        assert hit, "no entry among the search results"
        entry = http.get(html.unescape(hit.group(1)), follow_redirects=True)
        assert entry.status_code == 200
        assert entry.url.path.startswith("/palvelut/kortti/"), entry.url
        assert "<h1" in entry.text

        # Ask colleagues; the request id travels with the work it enqueues.
        form = http.get("/kysymykset/uusi/")
        assert form.status_code == 200
        asked = http.post(
            "/kysymykset/uusi/",
            data={
                "title": "Savuton testi: omaishoidon vapaat",
                "body": "Miten omaishoidon vapaat järjestetään Kotkassa?",
                "service_line": options(form.text, "service_line")[0],
                "urgency": "none",
                "csrfmiddlewaretoken": csrf_token(http),
            },
        )
        assert asked.status_code == 302, asked.text[:3000]
        thread_url = asked.headers["location"]
        assert re.fullmatch(r"/kysymykset/\d+/", thread_url), thread_url

        answered = http.post(
            f"{thread_url}vastaa/",
            data={
                "kind": "answer",
                "body": "Kunnan omaishoidon ohjaaja järjestää vapaat.",
                "csrfmiddlewaretoken": csrf_token(http),
            },
        )
        assert answered.status_code == 302, answered.text[:3000]
        thread = http.get(thread_url)
        assert "Kunnan omaishoidon ohjaaja järjestää vapaat." in thread.text

        # Run a report now; the worker process computes it; download its CSV.
        today = datetime.date.today()
        run = http.post(
            "/raportit/aja/",
            data={
                "kind": "contacts",
                "period_start": (today - datetime.timedelta(days=30)).isoformat(),
                "period_end": today.isoformat(),
                "csrfmiddlewaretoken": csrf_token(http),
            },
            headers={"X-Request-ID": "smoke-report-run"},
        )
        assert run.status_code == 302, run.text[:3000]
        assert run.headers["x-request-id"] == "smoke-report-run"
        report_url = run.headers["location"]
        assert re.fullmatch(r"/raportit/\d+/", report_url), report_url

        def csv_ready() -> bool:
            return http.get(f"{report_url}csv/").status_code == 200

        wait_for(csv_ready, 60, what="the report's CSV", details=stack.tails, interval=0.25)
        download = http.get(f"{report_url}csv/")
        assert download.headers["content-type"].startswith("text/csv")
        assert "attachment" in download.headers["content-disposition"]
        assert download.text.strip(), "empty CSV"

    # The worker process logged the report's run as JSON with the request's id.
    def worker_logged_the_run() -> bool:
        return any(
            '"request_id": "smoke-report-run"' in line and "reports.generate_report" in line
            for line in stack.log("worker").read_text(errors="replace").splitlines()
        )

    wait_for(worker_logged_the_run, 20, what="the worker's log line", details=stack.tails)
