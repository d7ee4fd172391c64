"""Background work of the inbox."""

from __future__ import annotations

from smtplib import SMTPException
from typing import Any

from celery import shared_task
from django.db import OperationalError


@shared_task(
    name="notifications.send_email",
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError, SMTPException),
    retry_backoff=True,
    max_retries=5,
)
def send_email(self: Any, notification_id: int) -> bool:
    """E-mail one notification if its recipient wants e-mail; at most once."""
    from .services import notification_email_send

    return notification_email_send(notification_id=notification_id)
