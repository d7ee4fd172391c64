"""Reads of the accounts app."""

from __future__ import annotations

from django.db.models import Model, Q, QuerySet

from .models import ApiToken, User
from .services import hash_token

STAFF_LIMIT = 500


def staff_with_lines(*, q: str = "") -> list[User]:
    """Active staff with the lines they serve and their roles, by name."""
    qs: QuerySet[User] = (
        User.objects.filter(is_active=True)
        .prefetch_related("service_lines", "groups")
        .order_by("last_name", "first_name", "username")
    )
    q = " ".join((q or "").replace("\x00", "").split())
    if q:
        qs = qs.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
        )
    return list(qs[:STAFF_LIMIT])


def user_service_lines(*, user: User) -> list[Model]:
    """The lines the staff member serves, in the catalogue's order (ServiceLine rows)."""
    return list(user.service_lines.order_by("position", "key"))


def staff_member(*, pk: int) -> User:
    return User.objects.prefetch_related("service_lines").get(pk=pk, is_active=True)


def api_token_get(raw: str) -> ApiToken | None:
    """The live token for a raw ``Authorization: Token …`` value, with its user."""
    if not raw or len(raw) > 200:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
