"""Enqueue background work so that a broker outage neither fails a request nor loses
the work: the one way our code sends Celery tasks.

``enqueue(task, *args)`` sends the task once the current transaction has committed (at
once outside one). The send is bounded (``CELERY_BROKER_TRANSPORT_OPTIONS`` socket
timeouts, ``CELERY_TASK_PUBLISH_RETRY_POLICY``): when the broker does not take the
message in that time, the task and its arguments are stored as a ``PendingTask`` row and
the request goes on. ``core.redispatch_pending`` (``apps/core/tasks.py``; run by
django-celery-beat every minute, seeded by migration 0004) sends the stored rows in order
once the broker is back; beat and the worker reconnect by themselves. Our tasks are
idempotent, so a message sent twice (a send that succeeded but raised anyway) does no
harm.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from typing import Any, Protocol

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)

REDISPATCH_TASK = "core.redispatch_pending"
REDISPATCH_BATCH = 500


class NamedTask(Protocol):
    name: str


def publish(name: str, args: Sequence[Any]) -> str | None:
    """Send one message now; ``None`` on success, else why it failed."""
    try:
        current_app.send_task(name, args=list(args))
    except Exception as exc:  # any broker failure: the caller records it, never raises
        return f"{type(exc).__name__}: {exc}"[:2000]
    return None


def _send_or_record(name: str, args: list[Any]) -> None:
    error = publish(name, args)
    if error is None:
        return
    logger.warning("broker refused %s%s, kept for redispatch: %s", name, tuple(args), error)
    from .models import PendingTask

    PendingTask.objects.create(task=name, args=args, error=error)


def enqueue(task: NamedTask | str, *args: Any) -> None:
    """Send ``task`` with ``args`` (IDs, ISO dates) after the commit; never fails the
    caller for a broker outage (see the module docstring)."""
    name = task if isinstance(task, str) else task.name
    transaction.on_commit(functools.partial(_send_or_record, name, list(args)))


def pending_redispatch(*, limit: int = REDISPATCH_BATCH) -> int:
    """Send the stored tasks, oldest first; stop at the first the broker still refuses.
    Two runs at once share the rows out (``skip_locked``). Returns how many were sent."""
    from .models import PendingTask

    sent = 0
    with transaction.atomic():
        rows = list(PendingTask.objects.select_for_update(skip_locked=True).order_by("pk")[:limit])
        for row in rows:
            error = publish(row.task, row.args)
            if error is not None:
                row.attempts += 1
                row.error = error
                row.save(update_fields=["attempts", "error"])
                break
            row.delete()
            sent += 1
    if sent:
        logger.info("redispatched %d task(s) the broker had refused", sent)
    return sent
