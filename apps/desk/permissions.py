"""Who sees which parts of the desk. One predicate per right, one rule per line."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User


def can_view_team(user: User | AnonymousUser) -> bool:
    """The team view: every open callback and every waiting or unanswered question, with
    their assignees (managers, who may see every callback)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.has_perm("consultations.view_callback")
