"""Writes of the accounts app."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from . import permissions
from .models import ApiToken, User

if TYPE_CHECKING:
    from apps.catalogue.models import ServiceLine

TOKEN_PREFIX = "nvk_"  # noqa: S105 - a marker, not a secret


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


def service_lines_assign(
    *, user: User, service_lines: Iterable[ServiceLine], by: User | None
) -> User:
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


# --- API tokens -------------------------------------------------------------------------


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new personal token; the raw token is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], key_hash=hash_token(raw), prefix=raw[:12]
    )
    return token, raw


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_touch(*, token: ApiToken) -> None:
    """Note when a token was last used (at most every ten minutes, to spare writes)."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 600:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
