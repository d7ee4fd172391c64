"""A Celery worker (prefork, Redis broker, as in production) SIGKILLed in the middle of a
report run: its pool process alone, or the whole worker. The message was not yet
acknowledged (acks_late), so it is handed out again, and the report completes exactly
once: one set of figures, one e-mail to the subscriber."""

from __future__ import annotations

import datetime
import random
import signal
import uuid

import psutil
import pytest
from celery import Celery
from django.contrib.auth.models import Group

from apps.accounts import roles
from apps.accounts.models import User
from apps.catalogue.models import ServiceLine
from apps.contacts.models import ContactRecord
from apps.reports.models import Kind, Report, ReportSubscription
from tests.faults.conftest import ALIAS, unique
from tests.faults.servers import stop_process
from tests.helpers import wait_for


def _report() -> Report:
    """A scheduled run of a day of its own, with one contact in it."""
    day = datetime.date(2000, 1, 1) + datetime.timedelta(days=random.randrange(9000))
    at = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
    ContactRecord.objects.using(ALIAS).create(
        created_at=at,
        service_line=ServiceLine.objects.using(ALIAS).get(key="vammaispalvelut"),
        channel="phone",
        topic_text="kuljetuspalvelu",
        submission_key=uuid.uuid4(),
    )
    return Report.objects.using(ALIAS).create(
        kind=Kind.CONTACTS, period_start=day, period_end=day, trigger=Report.Trigger.SCHEDULE
    )


def _subscriber() -> User:
    name = unique("esihenkilo")
    user = User.objects.db_manager(ALIAS).create_user(
        username=name, email=f"{name}@example.org", password="x"
    )
    user.groups.add(Group.objects.using(ALIAS).get(name=roles.MANAGER))
    ReportSubscription.objects.using(ALIAS).create(user=user, kind=Kind.CONTACTS)
    return user


def _row(pk: int) -> Report:
    return Report.objects.using(ALIAS).get(pk=pk)


def _kill_pool_children(worker) -> None:
    children = psutil.Process(worker.pid).children()
    assert children, "the prefork worker has no pool process"
    for child in children:
        child.send_signal(signal.SIGKILL)


@pytest.mark.parametrize("killed", ["pool process", "whole worker"])
def test_worker_killed_mid_report_the_report_completes_exactly_once(
    processes, own_postgres, own_redis, killed
):
    """``pool process``: the worker's parent sees its child die and puts the message back
    at once (task_reject_on_worker_lost); the next child completes the run. ``whole
    worker``: nothing is left to put it back; Redis hands the unacknowledged message to a
    new worker after the visibility timeout."""
    subscriber = _subscriber()
    report = _report()
    # Hold the contacts table: the run stops inside its first query, mid-run.
    blocker = own_postgres.connect("neuvokas")
    blocker.execute("BEGIN")
    blocker.execute("LOCK TABLE contacts_contactrecord IN ACCESS EXCLUSIVE MODE")
    try:
        first = processes.worker("worker1")
        sender = Celery(broker=own_redis.url, set_as_current=False)
        try:
            sender.send_task("reports.generate_report", args=[report.pk])
        finally:
            sender.close()
        wait_for(
            lambda: _row(report.pk).status == Report.Status.RUNNING,
            60,
            what="the first worker to start the run",
            details=processes.details,
        )
        if killed == "pool process":
            _kill_pool_children(first)
        else:
            stop_process(first, signal.SIGKILL)  # parent and pool child at once
            assert first.returncode == -signal.SIGKILL
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()

    # Nothing half-written: the killed process's transaction is rolled back.
    stuck = _row(report.pk)
    assert (stuck.status, stuck.figures, stuck.attempts) == ("running", {}, 1)
    if killed == "whole worker":
        assert own_redis.client().hlen("unacked") == 1  # taken, never acknowledged
        processes.worker("worker2")
    completing = "worker1" if killed == "pool process" else "worker2"

    wait_for(
        lambda: _row(report.pk).mailed_at is not None,
        120,
        what=f"{completing} to complete and mail the report",
        details=processes.details,
    )
    # The queue drains: no message left waiting or unacknowledged, so nothing runs again.
    redis = own_redis.client()
    wait_for(
        lambda: redis.llen("celery") == 0 and redis.hlen("unacked") == 0,
        60,
        what="the queue to drain",
        details=processes.details,
    )
    done = _row(report.pk)
    assert (done.status, done.attempts) == ("done", 2)
    assert done.figures["totals"]["count"] == 1
    assert (
        Report.objects.using(ALIAS)
        .filter(kind=Kind.CONTACTS, period_start=report.period_start)
        .count()
        == 1
    )
    log = (processes.logs / f"{completing}.log").read_text(errors="replace")
    assert "reports.generate_report[" in log and "'done'" in log
    if killed == "pool process":
        assert "WorkerLostError" in log or "SIGKILL" in log
    sent = [p.read_text(errors="replace") for p in processes.mail_dir.iterdir()]
    assert sum(text.count(f"To: {subscriber.email}") for text in sent) == 1
