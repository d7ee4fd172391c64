"""``apps.core.dispatch``: every enqueue goes through ``enqueue``; a broker that is down
costs the caller about a second and loses nothing (the task is kept and re-sent)."""

from __future__ import annotations

import re
import socket
import time
from pathlib import Path

import celery
import pytest
from celery import Celery
from django.conf import settings
from django.core import mail

from apps.core.dispatch import _send_or_record, enqueue, pending_redispatch, publish
from apps.core.models import PendingTask
from apps.notifications.models import Notification
from apps.notifications.services import notify
from apps.notifications.tasks import send_email
from tests.helpers import poll

ROOT = Path(__file__).resolve().parents[2]
DIRECT_SEND = re.compile(r"\.(delay|apply_async|delay_on_commit|apply_async_on_commit|send_task)\(")


def test_apps_enqueue_only_through_the_dispatch_helper():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "apps").rglob("*.py"))
        if path != ROOT / "apps" / "core" / "dispatch.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if DIRECT_SEND.search(line)
    ]
    assert offenders == [], "use apps.core.dispatch.enqueue:\n" + "\n".join(offenders)


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker_down(monkeypatch):
    """The project's Celery configuration, pointed at a Redis that is not there."""
    # Celery prefers a CELERY_BROKER_URL variable (CI's Redis pass) to the URL given.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    app = Celery("down", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.broker_url = f"redis://127.0.0.1:{_closed_port()}/0"
    app.conf.broker_transport_options = {"socket_connect_timeout": 2}
    previous = celery.current_app._get_current_object()
    app.set_current()
    try:
        yield app
    finally:
        # The next test's current app is the one before: /readyz asked a dead Redis after this.
        previous.set_current()
        app.close()


@pytest.mark.django_db
def test_enqueue_with_the_broker_down_keeps_the_task_and_returns_quickly(
    broker_down, advisor, django_capture_on_commit_callbacks
):
    # The first send loads the Redis transport; time the sends after that.
    assert publish("celery.ping", []) is not None
    with django_capture_on_commit_callbacks() as after_commit:
        notify(recipients=[advisor], verb="mention", text="Mainitsit", url="/kysymykset/1/")
    sends = [call for call in after_commit if getattr(call, "func", None) is _send_or_record]
    assert len(sends) == 1
    for call in after_commit:
        if call not in sends:
            call()  # the other after-commit work (the live event)
    started = time.monotonic()
    sends[0]()
    elapsed = time.monotonic() - started

    # The publish retry policy bounds it (about a second; room for a loaded machine).
    assert elapsed < 5, elapsed
    notification = Notification.objects.get(recipient=advisor)
    kept = PendingTask.objects.get()
    assert (kept.task, kept.args) == (send_email.name, [notification.pk])
    assert "OperationalError" in kept.error or "Connection" in kept.error, kept.error

    # Still down: redispatch keeps the row and counts the attempt.
    assert pending_redispatch() == 0
    assert PendingTask.objects.get().attempts == 2


@pytest.mark.django_db(transaction=True)
def test_kept_tasks_run_once_the_broker_answers(
    reference_data_tx, celery_worker, advisor, broker_down
):
    notification = Notification.objects.create(
        recipient=advisor, verb="mention", text="Mainitsit", url="/kysymykset/1/"
    )
    enqueue(send_email, notification.pk)  # outside a transaction: sent (tried) at once
    assert PendingTask.objects.count() == 1
    assert mail.outbox == []

    celery_worker.app.set_current()  # the broker is back
    assert pending_redispatch() == 1
    assert PendingTask.objects.count() == 0
    assert poll(lambda: Notification.objects.filter(emailed_at__isnull=False).exists())
    assert [m.to for m in mail.outbox] == [["advisor@example.org"]]


def test_the_settings_bound_every_broker_wait():
    policy = settings.CELERY_TASK_PUBLISH_RETRY_POLICY
    assert policy["max_retries"] * policy["interval_max"] <= 2
    assert settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 5
    assert settings.CELERY_BROKER_CONNECTION_MAX_RETRIES is None  # workers never give up
