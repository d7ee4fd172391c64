from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User

RECORD = "contacts.add_contactrecord"


def can_record_contact(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(RECORD))
