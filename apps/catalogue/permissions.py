"""Who may do what to a catalogue entry. One predicate per action, one rule per line.

Views, templates and the admin all ask these; nothing else decides.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, AnonymousUser

from .models import Entry

type AnyUser = AbstractUser | AnonymousUser


def _is_owner(user: AnyUser, entry: Entry) -> bool:
    return entry.owner_id is not None and entry.owner_id == user.pk


def _staff_with(user: AnyUser, perm: str) -> bool:
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    return user.has_perm(perm)


def can_view_catalogue(user: AnyUser) -> bool:
    """The reading pages, the comparison and the catalogue's lists."""
    return _staff_with(user, "catalogue.view_entry")


def can_edit_entries(user: AnyUser) -> bool:
    """Edit any entry (content producers): the "Omat sisällöt" page in the header."""
    return _staff_with(user, "catalogue.change_entry")


def can_add_entry(user: AnyUser) -> bool:
    return _staff_with(user, "catalogue.add_entry")


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


def can_view_history(user: AnyUser, entry: Entry) -> bool:
    """The versions and diffs of an entry: its editors, and whoever may view versions."""
    if can_edit_entry(user, entry):
        return True
    return _staff_with(user, "catalogue.view_entryversion")
