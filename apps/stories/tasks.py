from __future__ import annotations

import datetime

from celery import Task, shared_task
from django.db import OperationalError
from django.utils import timezone

from . import services


@shared_task(
    name="stories.publish_due_stories",
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def publish_due_stories(self: Task, now_iso: str | None = None) -> int:
    """Beat runs this every minute (schedule seeded in migration 0003). Publishing is
    idempotent per story, so overlapping or repeated runs publish each story once."""
    now = datetime.datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    return services.stories_publish_due(now=now)
