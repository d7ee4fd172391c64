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


@shared_task(name="catalogue.sync_ptv", **_TASK)
def sync_ptv(self: Any) -> dict[str, int]:
    """The scheduled Suomi.fi (PTV) sync (seeded daily by migration 0010, editable in the
    admin): ``manage.py import_ptv`` with the settings. Idempotent: an unchanged PTV
    changes nothing; a run that did not finish is simply run again next time."""
    from django.conf import settings

    from .models import ServiceLine
    from .ptv.client import PtvClient
    from .ptv.sync import import_ptv

    line = settings.NEUVOKAS_PTV_SERVICE_LINE
    if not settings.NEUVOKAS_PTV_ORGANISATIONS or not ServiceLine.objects.filter(key=line).exists():
        return {}
    with PtvClient(
        settings.NEUVOKAS_PTV_API_URL, timeout=settings.NEUVOKAS_PTV_TIMEOUT_SECONDS
    ) as client:
        report = import_ptv(
            client, organisations=settings.NEUVOKAS_PTV_ORGANISATIONS, service_line=line
        )
    return dict(report.counts)
