from __future__ import annotations

from typing import Any

RECORD = "contacts.add_contactrecord"


def can_record_contact(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.has_perm(RECORD)
    )
