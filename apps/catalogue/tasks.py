"""Background work of the catalogue."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import OperationalError


@shared_task(name="catalogue.notify_problem_report", bind=True, acks_late=True,
             autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def notify_problem_report(self: Any, report_id: int) -> int:
    """Tell the entry's owner (or the content editors) about a new problem report."""
    from .services import problem_report_notify

    return problem_report_notify(report_id=report_id)
