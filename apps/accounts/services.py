"""Writes of the accounts app."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from apps.catalogue.models import ServiceLine

from .models import User


def profile_update(*, user: User, service_lines: Iterable[ServiceLine],
                   email_notifications: bool) -> User:
    """Save the user's own settings. The user row is locked so two tabs saving at once
    end with one tab's choices, not a mix of both."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.email_notifications = email_notifications
        locked.full_clean(validate_unique=False, validate_constraints=False)
        locked.save(update_fields=["email_notifications"])
        locked.service_lines.set(list(service_lines))
    user.email_notifications = locked.email_notifications
    return locked
