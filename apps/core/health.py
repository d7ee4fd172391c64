"""Liveness and readiness: what ``/healthz`` and ``/readyz`` report.

The background processes show they are alive through ``Heartbeat`` rows:

* beat writes ``beat`` when it starts and each time it sends the seeded ``core.heartbeat``
  schedule (every 15 s, data migration ``core.0003``), from its own process;
* a worker writes ``worker`` when it is ready and each time it runs ``core.heartbeat``.

So a stopped beat makes both rows age (nothing sends the task any more), and a stopped
worker only ``worker``. Readiness fails when either is older than
``NEUVOKAS_HEARTBEAT_STALE_SECONDS`` (60 s: four missed beats).
"""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app, signals
from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import Heartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_TASK = "core.heartbeat"
WORKER = "worker"
BEAT = "beat"
OK = "ok"
FAIL = "fail"
NOT_SEEN = "not seen"
STALE = "stale"

_in_beat = False


def heartbeat_record(*, name: str) -> None:
    """Upsert ``name``'s row with the current time: one statement, safe when two
    processes write at once."""
    Heartbeat.objects.bulk_create(
        [Heartbeat(name=name, seen_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["seen_at"],
    )


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        logger.exception("readiness: the database does not answer")
        return FAIL
    return OK


def _broker() -> str:
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=3)
    except Exception:
        logger.exception("readiness: the broker does not answer")
        return FAIL
    return OK


def _seen(database: str) -> dict[str, str]:
    if database != OK:
        return {WORKER: FAIL, BEAT: FAIL}
    stale_after = settings.NEUVOKAS_HEARTBEAT_STALE_SECONDS
    now = timezone.now()
    seen = dict(Heartbeat.objects.values_list("name", "seen_at"))
    result = {}
    for name in (WORKER, BEAT):
        at = seen.get(name)
        if at is None:
            result[name] = NOT_SEEN
        elif (now - at).total_seconds() > stale_after:
            result[name] = STALE
        else:
            result[name] = OK
    return result


def readiness() -> dict[str, str]:
    """Each check's state: ``ok`` or what is wrong (no details: the page is public)."""
    database = _database()
    return {"database": database, "broker": _broker(), **_seen(database)}


# --- the processes' own heartbeats ------------------------------------------------------
def _record_quietly(name: str) -> None:
    try:
        heartbeat_record(name=name)
    except Exception:
        logger.exception("could not record the %s heartbeat", name)
    finally:
        # The worker's main process forks its pool after this: leave no shared connection.
        connection.close()


def _worker_ready(**_: Any) -> None:
    _record_quietly(WORKER)


def _beat_started(**_: Any) -> None:
    global _in_beat
    _in_beat = True
    _record_quietly(BEAT)


def _beat_sends_heartbeat(sender: str | None = None, **_: Any) -> None:
    if _in_beat and sender == HEARTBEAT_TASK:
        _record_quietly(BEAT)


signals.worker_ready.connect(_worker_ready)
signals.beat_init.connect(_beat_started)
signals.before_task_publish.connect(_beat_sends_heartbeat)
