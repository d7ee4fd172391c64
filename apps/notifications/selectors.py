"""Reads of the inbox."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from .models import Notification

if TYPE_CHECKING:
    from apps.accounts.models import User


def unread_count(user: User) -> int:
    """How many of the user's notifications are unread: one COUNT query."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox(user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first, with the actor for display."""
    return (
        Notification.objects.filter(recipient=user)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
