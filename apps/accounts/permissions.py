"""Who may do what with user accounts. One predicate per action, one rule per line."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User


def _active(user: User | AnonymousUser | None) -> TypeGuard[User]:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_assign_service_lines(user: User | AnonymousUser | None) -> bool:
    """Decide which lines each staff member serves (managers): not the person themself."""
    if not _active(user):
        return False
    return user.has_perm("accounts.assign_service_lines")
