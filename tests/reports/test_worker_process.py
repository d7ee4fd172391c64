"""Reports run by real Celery processes: a worker killed in the middle of a run, and
the seeded schedule fired by celery beat.

The processes use the test database and Redis (db 14, a queue of their own). Skipped
when Redis does not answer.
"""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from celery import Celery
from django.db import connection
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from apps.reports import services
from apps.reports.models import Kind, Report
from apps.reports.periods import months_before
from tests.contacts.factories import contact
from tests.reports.factories import at

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))
BROKER = os.environ.get("REPORTS_TEST_REDIS", "redis://127.0.0.1:6379/14")
MONTHLY = "Raportit: yhteydenotot ja haun aukot (kuukausittain)"


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(BROKER, socket_timeout=1).ping())
    except redis.RedisError:
        return False


pytestmark = [pytestmark, pytest.mark.skipif(not _redis_up(), reason="Redis not running")]


@pytest.fixture
def queue() -> Iterator[str]:
    name = f"neuvokas-reports-test-{uuid.uuid4().hex[:12]}"
    yield name
    import redis

    redis.Redis.from_url(BROKER).delete(name)


def _env(queue: str) -> dict[str, str]:
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.reports.worker_settings",
        "DATABASE_URL": (f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
                         f"{db['PORT'] or 5432}/{db['NAME']}"),
        "REPORTS_TEST_BROKER": BROKER,
        "REPORTS_TEST_QUEUE": queue,
        "PYTHONPATH": str(ROOT),
    }


def _start(args: list[str], queue: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [CELERY, "-A", "intranet", *args], cwd=ROOT, env=_env(queue),
        stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)


def _worker(queue: str, log: Path) -> subprocess.Popen:
    return _start(["worker", "--pool=solo", "-Q", queue, "--without-mingle",
                   "--without-gossip", "--loglevel=INFO"], queue, log)


def _stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _send(queue: str, task: str, *args: object) -> None:
    app = Celery(broker=BROKER)
    try:
        app.send_task(task, args=list(args), queue=queue)
    finally:
        app.close()


def _wait_for(condition: Callable[[], bool], what: str, logs: list[Path],
              timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    tails = "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}"
                      for log in logs if log.exists())
    raise AssertionError(f"timed out waiting for {what}\n{tails}")


def _connect() -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
                           user=db["USER"], dbname=db["NAME"], autocommit=True)


def _status(report_id: int) -> tuple[str, str]:
    report = Report.objects.get(pk=report_id)
    return report.status, report.figures


def test_worker_killed_mid_run_leaves_no_half_report_and_the_next_run_completes_it(
        reference_data_tx, queue, tmp_path):
    contact(at=at(2026, 3, 10, 12, 0), solved=True)
    contact(at=at(2026, 3, 11, 12, 0))
    report = services.report_request(kind=Kind.CONTACTS, period_start=datetime.date(2026, 3, 1),
                                     period_end=datetime.date(2026, 3, 31))
    # Hold the contacts table so the run stops inside its first query: mid-run.
    blocker = _connect()
    blocker.execute("BEGIN")
    blocker.execute("LOCK TABLE contacts_contactrecord IN ACCESS EXCLUSIVE MODE")
    first_log, second_log = tmp_path / "worker1.log", tmp_path / "worker2.log"
    worker = _worker(queue, first_log)
    try:
        _send(queue, "reports.generate_report", report.pk)
        _wait_for(lambda: Report.objects.get(pk=report.pk).status == "running",
                  "the worker to start the run", [first_log])
        _stop(worker, signal.SIGKILL)
        assert worker.returncode == -signal.SIGKILL
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        _stop(worker, signal.SIGKILL)

    # The dead worker's session ends; its transaction is rolled back and its lock freed.
    _wait_for(lambda: report.pk not in services._locked_ids(),
              "the dead worker's session to end", [first_log])
    stuck = Report.objects.get(pk=report.pk)
    assert (stuck.status, stuck.figures, stuck.attempts) == ("running", {}, 1)

    worker = _worker(queue, second_log)
    try:
        _send(queue, "reports.resume_reports")
        _wait_for(lambda: Report.objects.get(pk=report.pk).status == "done",
                  "the next run to complete the report", [second_log])
    finally:
        _stop(worker)
    assert Report.objects.filter(kind=Kind.CONTACTS).count() == 1
    done = Report.objects.get(pk=report.pk)
    assert done.attempts == 2
    assert (done.figures["totals"]["count"], done.figures["totals"]["solved"]) == (2, 1)


def test_beat_fires_the_seeded_monthly_schedule_through_a_worker(
        reference_data_tx, queue, tmp_path):
    """The seeded schedule, made to fire every second (as an admin could edit it),
    reaches a real worker through a real beat; repeated firings make no extra runs."""
    from django.utils import timezone

    last_month = months_before(timezone.localdate(), 1)
    contact(at=at(last_month.start.year, last_month.start.month, 1, 0, 0))
    PeriodicTask.objects.exclude(name=MONTHLY).update(enabled=False)
    seeded = PeriodicTask.objects.get(name=MONTHLY)
    assert seeded.task == "reports.schedule_due_reports"
    seeded.interval = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS)
    seeded.crontab = None
    seeded.save()

    worker_log, beat_log = tmp_path / "worker.log", tmp_path / "beat.log"
    worker = _worker(queue, worker_log)
    beat = _start(["beat", "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler",
                   "--max-interval", "1", "--pidfile", str(tmp_path / "beat.pid"),
                   "--loglevel=INFO"], queue, beat_log)
    logs = [worker_log, beat_log]
    try:
        _wait_for(lambda: Report.objects.filter(status="done").count() == 2,
                  "the scheduled reports", logs)
        time.sleep(3)  # more firings
    finally:
        _stop(beat)
        _stop(worker)
    assert "reports.schedule_due_reports" in beat_log.read_text(errors="replace")
    assert sorted(Report.objects.values_list("kind", "period_start", "period_end",
                                             "trigger")) == [
        (Kind.CONTACTS, last_month.start, last_month.end, "schedule"),
        (Kind.SEARCH_GAPS, last_month.start, last_month.end, "schedule"),
    ]
    assert Report.objects.get(kind=Kind.CONTACTS).figures["totals"]["count"] == 1
