"""Background work of the catalogue.

* ``notify_problem_report`` tells an entry's owner about a problem report.
* ``remind_owners`` (weekly, seeded by reports' migration 0002) sends each content owner
  their overdue entries, fanning out one ``remind_owner`` per owner. They kept the names
  they had in the reports app: django-celery-beat stores the task name of every
  schedule as a string (``PeriodicTask.task``), so existing schedules keep working.
"""

from __future__ import annotations

import datetime
from typing import Any

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.core.dispatch import enqueue

_TASK = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(
    name="catalogue.notify_problem_report",
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def notify_problem_report(self: Any, report_id: int) -> int:
    """Tell the entry's owner (or the content editors) about a new problem report."""
    from .services import problem_report_notify

    return problem_report_notify(report_id=report_id)


@shared_task(name="reports.remind_owners", **_TASK)
def remind_owners(self: Any, now_iso: str | None = None) -> list[int]:
    """Fan out this week's overdue-entries e-mail, one task per owner."""
    from .selectors import owners_with_overdue_entries

    now = parse_datetime(now_iso) if now_iso else None
    today = timezone.localdate(now or timezone.now())
    week_start = today - datetime.timedelta(days=today.weekday())
    ids = owners_with_overdue_entries(today=today)
    for owner_id in ids:
        enqueue(remind_owner, owner_id, week_start.isoformat(), today.isoformat())
    return ids


@shared_task(name="reports.remind_owner", **_TASK)
def remind_owner(
    self: Any, owner_id: int, week_start_iso: str, today_iso: str | None = None
) -> bool:
    from .services import owner_remind

    return owner_remind(
        owner_id=owner_id,
        week_start=datetime.date.fromisoformat(week_start_iso),
        today=datetime.date.fromisoformat(today_iso) if today_iso else None,
    )
