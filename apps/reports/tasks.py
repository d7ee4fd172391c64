"""Scheduled reports (django-celery-beat runs them; schedules seeded by migration 0002).

* ``schedule_due_reports`` computes the period once and fans out one ``generate_report``
  per kind: contacts and search gaps monthly, the management package every two months.
* ``resume_reports`` (every ten minutes) completes runs a dead worker left behind.

The owners' weekly reminder (``reports.remind_owners``) is the catalogue's
(``apps.catalogue.tasks``).
"""

from __future__ import annotations

import datetime
from typing import Any

from celery import shared_task
from django.db import OperationalError, transaction
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


# A busy run is looked at again after 5, 10, 20, 40 and 80 seconds.
BUSY_RETRY_SECONDS = 5


def _now(now_iso: str | None) -> datetime.datetime:
    if now_iso:
        parsed = parse_datetime(now_iso)
        if parsed is not None:
            return parsed
    return timezone.now()


@shared_task(name="reports.schedule_due_reports", **_TASK)
def schedule_due_reports(
    self: Any, now_iso: str | None = None, kinds: list[str] | None = None, months: int = 1
) -> list[int]:
    """Request the runs of ``kinds`` for the ``months`` whole months before now (in
    Finnish time) and fan them out. Firing twice makes no second run."""
    from .models import Kind, Report
    from .periods import months_before
    from .services import report_request

    today = timezone.localdate(_now(now_iso))
    period = months_before(today, months)
    ids = []
    with transaction.atomic():
        for kind in kinds or Kind.values:
            report = report_request(kind=kind, period_start=period.start, period_end=period.end)
            if report.status != Report.Status.DONE:
                enqueue(generate_report, report.pk)
            ids.append(report.pk)
    return ids


@shared_task(name="reports.generate_report", **_TASK)
def generate_report(self: Any, report_id: int) -> str:
    from .services import report_generate

    outcome = report_generate(report_id=report_id)
    if outcome == "busy" and self.request.retries < self.max_retries:
        # Another session holds the run's lock: a worker still at it (a second message
        # for the run), or one just killed whose session PostgreSQL has not yet ended.
        # Look again shortly: then it is "already_done", or the run is ours to redo.
        raise self.retry(countdown=BUSY_RETRY_SECONDS * 2**self.request.retries)
    return outcome


@shared_task(name="reports.resume_reports", **_TASK)
def resume_reports(self: Any, now_iso: str | None = None) -> list[int]:
    from .services import reports_to_resume

    ids = reports_to_resume(now=_now(now_iso))
    for report_id in ids:
        enqueue(generate_report, report_id)
    return ids


@shared_task(name="reports.mail_report", **_TASK)
def mail_report(self: Any, report_id: int) -> int:
    from .services import report_mail

    return report_mail(report_id=report_id)
