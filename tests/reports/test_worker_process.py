"""Reports run by real Celery processes: a worker killed in the middle of a run, and
the seeded schedule fired by celery beat.

The processes use the test database and a queue of their own on a real broker: Redis
(db 14) and, for the schedule, also the local filesystem broker that runs when no broker
is configured. Without Redis these tests fail loudly; they never skip.
"""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from celery import Celery
from django.db import connection
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from apps.reports import services
from apps.reports.models import Kind, Report
from apps.reports.periods import months_before
from tests.contacts.factories import contact
from tests.helpers import wait_for
from tests.reports.factories import at

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))
REDIS = os.environ.get("REPORTS_TEST_REDIS", "redis://127.0.0.1:6379/14")
MONTHLY = "Raportit: yhteydenotot ja haun aukot (kuukausittain)"


@dataclass(frozen=True)
class Broker:
    url: str
    queue: str
    folder: Path | None = None  # the filesystem broker's message folder

    @property
    def transport_options(self) -> dict[str, str]:
        if self.folder is None:
            return {}
        return {
            "data_folder_in": str(self.folder),
            "data_folder_out": str(self.folder),
            "control_folder": f"{self.folder}-control",
        }


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def _redis_broker() -> Iterator[Broker]:
    # These tests need the machine's Redis; without it they fail loudly, never skip.
    assert _redis_up(), f"Redis is not answering at {REDIS}: start it (see .ci/run)"
    broker = Broker(REDIS, f"neuvokas-reports-test-{uuid.uuid4().hex[:12]}")
    yield broker
    import redis

    redis.Redis.from_url(REDIS).delete(broker.queue)


@pytest.fixture
def queue() -> Iterator[Broker]:
    """A queue of the test's own on Redis."""
    yield from _redis_broker()


@pytest.fixture(autouse=True)
def _no_broker_variable(monkeypatch) -> None:
    """Celery prefers a CELERY_BROKER_URL variable (CI's Redis pass) to any URL it is
    given: without this, the test's sends would all go to that Redis database."""
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)


@pytest.fixture(params=["redis", "filesystem"])
def any_broker(request, tmp_path) -> Iterator[Broker]:
    """Redis, and the local broker that needs no server."""
    if request.param == "redis":
        yield from _redis_broker()
    else:
        folder = tmp_path / "broker"
        folder.mkdir()
        broker = Broker("filesystem://", f"neuvokas-reports-test-{uuid.uuid4().hex[:12]}", folder)
        yield broker
        # kombu's exchange table goes to the folder given, never to ./control in the checkout.
        assert not (ROOT / "control" / f"{broker.queue}.exchange").exists()
        assert (Path(f"{folder}-control") / f"{broker.queue}.exchange").exists()


def _database_url() -> str:
    db = connection.settings_dict
    # A socket directory (the embedded server) goes percent-encoded in the host part.
    host = quote(db["HOST"] or "127.0.0.1", safe="")
    return f"postgres://{db['USER']}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def _env(broker: Broker) -> dict[str, str]:
    return {
        **os.environ,  # without CELERY_BROKER_URL (_no_broker_variable)
        "DJANGO_SETTINGS_MODULE": "tests.reports.worker_settings",
        "DATABASE_URL": _database_url(),
        "REPORTS_TEST_BROKER": broker.url,
        "REPORTS_TEST_BROKER_FOLDER": str(broker.folder or ""),
        "REPORTS_TEST_QUEUE": broker.queue,
        "PYTHONPATH": str(ROOT),
    }


def _start(args: list[str], broker: Broker, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [CELERY, "-A", "intranet", *args],
        cwd=ROOT,
        env=_env(broker),
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _worker(broker: Broker, log: Path) -> subprocess.Popen:
    return _start(
        [
            "worker",
            "--pool=solo",
            "-Q",
            broker.queue,
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
        ],
        broker,
        log,
    )


def _stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _send(broker: Broker, task: str, *args: object) -> str:
    """Enqueue ``task`` on the test's queue; return its id."""
    app = Celery(broker=broker.url)
    app.conf.broker_transport_options = broker.transport_options
    try:
        return app.send_task(task, args=list(args), queue=broker.queue).id
    finally:
        app.close()


def _wait_for(
    condition: Callable[[], bool], what: str, logs: list[Path], timeout: float = 60.0
) -> None:
    def tails() -> str:
        return "\n".join(
            f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}"
            for log in logs
            if log.exists()
        )

    wait_for(condition, timeout, what=what, details=tails, interval=0.2)


def _log(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


def _sent_by_beat(beat_log: Path) -> int:
    return _log(beat_log).count("Sending due task")


def _connect() -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        dbname=db["NAME"],
        autocommit=True,
    )


def _status(report_id: int) -> tuple[str, str]:
    report = Report.objects.get(pk=report_id)
    return report.status, report.figures


def test_worker_killed_mid_run_leaves_no_half_report_and_the_next_run_completes_it(
    reference_data_tx, queue, tmp_path
):
    contact(at=at(2026, 3, 10, 12, 0), solved=True)
    contact(at=at(2026, 3, 11, 12, 0))
    report = services.report_request(
        kind=Kind.CONTACTS,
        period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2026, 3, 31),
    )
    # Hold the contacts table so the run stops inside its first query: mid-run.
    blocker = _connect()
    blocker.execute("BEGIN")
    blocker.execute("LOCK TABLE contacts_contactrecord IN ACCESS EXCLUSIVE MODE")
    first_log, second_log = tmp_path / "worker1.log", tmp_path / "worker2.log"
    worker = _worker(queue, first_log)
    try:
        _send(queue, "reports.generate_report", report.pk)
        _wait_for(
            lambda: Report.objects.get(pk=report.pk).status == "running",
            "the worker to start the run",
            [first_log],
        )
        _stop(worker, signal.SIGKILL)
        assert worker.returncode == -signal.SIGKILL
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        _stop(worker, signal.SIGKILL)

    # The dead worker's session ends; its transaction is rolled back and its lock freed.
    _wait_for(
        lambda: report.pk not in services._locked_ids(),
        "the dead worker's session to end",
        [first_log],
    )
    stuck = Report.objects.get(pk=report.pk)
    assert (stuck.status, stuck.figures, stuck.attempts) == ("running", {}, 1)

    worker = _worker(queue, second_log)
    try:
        _send(queue, "reports.resume_reports")
        _wait_for(
            lambda: Report.objects.get(pk=report.pk).status == "done",
            "the next run to complete the report",
            [second_log],
        )
    finally:
        _stop(worker)
    assert Report.objects.filter(kind=Kind.CONTACTS).count() == 1
    done = Report.objects.get(pk=report.pk)
    assert done.attempts == 2
    assert (done.figures["totals"]["count"], done.figures["totals"]["solved"]) == (2, 1)


def test_beat_fires_the_seeded_monthly_schedule_through_a_worker(
    reference_data_tx, any_broker, tmp_path
):
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
    worker = _worker(any_broker, worker_log)
    beat = _start(
        [
            "beat",
            "--scheduler",
            "django_celery_beat.schedulers:DatabaseScheduler",
            "--max-interval",
            "1",
            "--pidfile",
            str(tmp_path / "beat.pid"),
            "--loglevel=INFO",
        ],
        any_broker,
        beat_log,
    )
    logs = [worker_log, beat_log]
    try:
        _wait_for(
            lambda: Report.objects.filter(status="done").count() == 2, "the scheduled reports", logs
        )
        # More firings: beat logs each one before it sends it, so all but the last
        # counted here are on the queue...
        fired = _sent_by_beat(beat_log)
        _wait_for(lambda: _sent_by_beat(beat_log) >= fired + 4, "more firings", logs)
        # ...and the solo worker takes the queue in order: once a task sent now has
        # succeeded, it has run those firings too.
        sentinel = _send(any_broker, "reports.resume_reports")
        _wait_for(
            lambda: f"[{sentinel}] succeeded" in _log(worker_log),
            "the worker to run the firings",
            logs,
        )
    finally:
        _stop(beat)
        _stop(worker)
    assert "reports.schedule_due_reports" in beat_log.read_text(errors="replace")
    assert sorted(Report.objects.values_list("kind", "period_start", "period_end", "trigger")) == [
        (Kind.CONTACTS, last_month.start, last_month.end, "schedule"),
        (Kind.SEARCH_GAPS, last_month.start, last_month.end, "schedule"),
    ]
    assert Report.objects.get(kind=Kind.CONTACTS).figures["totals"]["count"] == 1
