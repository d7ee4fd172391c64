"""The heartbeat that tells ``/readyz`` a worker (and the beat that sent it) is alive."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from . import health
from .dispatch import REDISPATCH_TASK


# No retries: a failed heartbeat is simply not recorded, and the next one comes in 15 s.
@shared_task(name=health.HEARTBEAT_TASK, bind=True, ignore_result=True)
def heartbeat(self: Any) -> None:
    health.heartbeat_record(name=health.WORKER)


@shared_task(name=REDISPATCH_TASK, bind=True, ignore_result=True)
def redispatch_pending(self: Any) -> int:
    """Send the tasks the broker refused while it was down (``apps/core/dispatch.py``)."""
    from .dispatch import pending_redispatch

    return pending_redispatch()
