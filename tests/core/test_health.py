"""/healthz (liveness) and /readyz (readiness: database, broker, worker and beat seen)."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from apps.core import health
from apps.core.models import Heartbeat
from apps.core.tasks import heartbeat
from tests.helpers import wait_for

pytestmark = pytest.mark.django_db


def _seen(name: str, seconds_ago: float) -> None:
    Heartbeat.objects.update_or_create(
        name=name,
        defaults={"seen_at": timezone.now() - datetime.timedelta(seconds=seconds_ago)},
    )


def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_fails_when_the_worker_has_not_been_seen(client):
    _seen(health.BEAT, 5)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "not ready",
        "checks": {"database": "ok", "broker": "ok", "worker": "not seen", "beat": "ok"},
    }
    assert response["Cache-Control"] == "no-store"


def test_readyz_fails_when_the_worker_was_seen_too_long_ago(client, settings):
    settings.NEUVOKAS_HEARTBEAT_STALE_SECONDS = 60
    _seen(health.WORKER, 61)
    _seen(health.BEAT, 1)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "stale"


def test_readyz_fails_when_beat_has_not_been_seen(client):
    _seen(health.WORKER, 1)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok",
        "broker": "ok",
        "worker": "ok",
        "beat": "not seen",
    }


def test_readyz_is_ready_when_everything_answers(client):
    _seen(health.WORKER, 10)
    _seen(health.BEAT, 10)

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "broker": "ok", "worker": "ok", "beat": "ok"},
    }


def test_readyz_fails_when_the_broker_does_not_answer(client, monkeypatch):
    _seen(health.WORKER, 1)
    _seen(health.BEAT, 1)
    from celery import current_app

    # Celery prefers a CELERY_BROKER_URL variable (CI's Redis pass) to the URL configured:
    # without it gone, this asked the real Redis. Nothing listens on port 1.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.setattr(current_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "fail"


@override_settings(SECURE_SSL_REDIRECT=True)
def test_probes_on_plain_http_are_not_redirected(client):
    _seen(health.WORKER, 1)
    _seen(health.BEAT, 1)
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/kirjaudu/").status_code == 301


def test_heartbeat_record_upserts_one_row_per_process():
    health.heartbeat_record(name=health.WORKER)
    first = Heartbeat.objects.get(name=health.WORKER).seen_at
    health.heartbeat_record(name=health.WORKER)
    assert Heartbeat.objects.filter(name=health.WORKER).count() == 1
    assert Heartbeat.objects.get(name=health.WORKER).seen_at >= first


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_task_run_by_a_worker_records_the_worker(current_celery_app, celery_worker):
    heartbeat.delay().get(timeout=20)
    wait_for(lambda: Heartbeat.objects.filter(name=health.WORKER).exists(), 10)


def test_the_heartbeat_schedule_is_seeded():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task=health.HEARTBEAT_TASK)
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (15, "seconds")
    assert task.interval.every * 4 == 60  # four missed beats make the default "stale"
