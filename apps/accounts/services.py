"""Writes of the accounts app."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction

from . import permissions
from .models import User

if TYPE_CHECKING:
    from apps.catalogue.models import ServiceLine


def profile_update(*, user: User, email_notifications: bool) -> User:
    """Save the user's own settings. The user row is locked so two tabs saving at once
    end with one tab's choice. The lines served are not among them
    (``service_lines_assign``)."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.email_notifications = email_notifications
        locked.full_clean(validate_unique=False, validate_constraints=False)
        locked.save(update_fields=["email_notifications"])
    user.email_notifications = locked.email_notifications
    return locked


def service_lines_assign(*, user: User, service_lines: Iterable[ServiceLine],
                         by: User | None) -> User:
    """Set the lines ``user`` serves (their line questions and callbacks reach them).

    ``by`` is the manager deciding (``permissions.can_assign_service_lines``); ``None``
    only for the system itself (demo seeding, a future identity-provider sync).
    """
    if by is not None and not permissions.can_assign_service_lines(by):
        raise PermissionDenied
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.service_lines.set(list(service_lines))
    return locked
