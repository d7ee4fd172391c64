"""Scheduled work of the consultations: erase callback numbers, flag overdue callbacks.

Both schedulers are seeded in django-celery-beat by migration 0002 (admins may edit
them). Each computes its work once and fans out one idempotent task per callback.
"""

from __future__ import annotations

import datetime
from typing import Any

from celery import shared_task
from django.db import OperationalError
from django.utils.dateparse import parse_datetime

from apps.core.dispatch import enqueue

_TASK = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "max_retries": 5,
}


def _when(now_iso: str | None) -> datetime.datetime | None:
    return parse_datetime(now_iso) if now_iso else None


@shared_task(name="consultations.erase_callback_numbers", **_TASK)
def erase_callback_numbers(self: Any, now_iso: str | None = None) -> int:
    """Fan out the erasure of every number due (done longer ago than the retention)."""
    from .selectors import callbacks_due_for_erasure

    now = _when(now_iso)
    ids = callbacks_due_for_erasure(now=now)
    for callback_id in ids:
        enqueue(erase_callback_number, callback_id, now_iso)
    return len(ids)


@shared_task(name="consultations.erase_callback_number", **_TASK)
def erase_callback_number(self: Any, callback_id: int, now_iso: str | None = None) -> bool:
    from .services import callback_erase_number

    return callback_erase_number(callback_id=callback_id, now=_when(now_iso))


@shared_task(name="consultations.flag_overdue_callbacks", **_TASK)
def flag_overdue_callbacks(self: Any, now_iso: str | None = None) -> int:
    from .selectors import callbacks_newly_overdue

    now = _when(now_iso)
    ids = callbacks_newly_overdue(now=now)
    for callback_id in ids:
        enqueue(flag_overdue_callback, callback_id, now_iso)
    return len(ids)


@shared_task(name="consultations.flag_overdue_callback", **_TASK)
def flag_overdue_callback(self: Any, callback_id: int, now_iso: str | None = None) -> bool:
    from .services import callback_flag_overdue

    return callback_flag_overdue(callback_id=callback_id, now=_when(now_iso))
