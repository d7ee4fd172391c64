"""Bounded retention of the live event log."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import OperationalError


@shared_task(
    name="live.prune_events",
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def prune_events(self: Any) -> int:
    from . import services

    return services.events_prune()
