"""Who may do what to a catalogue entry. One predicate per action, one rule per line.

Views, templates and the admin all ask these; nothing else decides.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, AnonymousUser

from .models import Entry

type AnyUser = AbstractUser | AnonymousUser


def _is_owner(user: AnyUser, entry: Entry) -> bool:
    return entry.owner_id is not None and entry.owner_id == user.pk


def can_edit_entry(user: AnyUser, entry: Entry) -> bool:
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.has_perm("catalogue.change_entry"):
        return True
    return _is_owner(user, entry)


def can_review_entry(user: AnyUser, entry: Entry) -> bool:
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.has_perm("catalogue.review_entry"):
        return True
    return _is_owner(user, entry)
