"""Scheduled work of the audit trail: the retention purge, seeded in django-celery-beat
by migration 0003 (daily; admins may edit the schedule)."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import OperationalError
from django.utils.dateparse import parse_datetime


@shared_task(
    name="audit.purge_expired",
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def purge_expired(self: Any, now_iso: str | None = None) -> int:
    """Delete the events older than ``NEUVOKAS_AUDIT_RETENTION_DAYS``; idempotent."""
    from .services import purge_expired as purge

    return purge(now=parse_datetime(now_iso) if now_iso else None)
