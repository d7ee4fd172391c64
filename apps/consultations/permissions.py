"""Who may do what with threads, answers, callbacks and FAQ items.

One predicate per action, one rule per line (Zulip's ``access_*`` style). Views,
templates (through flags the views compute), services and the admin all ask these; none
of them look at group or user names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User

    from .models import Answer, Callback, Thread


def _active(user: User | AnonymousUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_view_threads(user: User | AnonymousUser) -> bool:
    if not _active(user):
        return False
    return user.has_perm("consultations.view_thread")


def can_ask(user: User) -> bool:
    if not _active(user):
        return False
    return user.has_perm("consultations.add_thread")


def can_answer(user: User, thread: Thread) -> bool:
    if not _active(user):
        return False
    return user.has_perm("consultations.add_answer")


def can_edit_thread(user: User, thread: Thread) -> bool:
    if not _active(user):
        return False
    if thread.author_id is not None and thread.author_id == user.pk:
        return True
    return user.has_perm("consultations.change_thread")


def can_edit_answer(user: User, answer: Answer) -> bool:
    if not _active(user):
        return False
    if answer.author_id is not None and answer.author_id == user.pk:
        return True
    return user.has_perm("consultations.change_answer")


def can_mark_solution(user: User, thread: Thread) -> bool:
    """The asker, or someone allowed to mark any solution (managers)."""
    if not _active(user):
        return False
    if thread.author_id is not None and thread.author_id == user.pk:
        return True
    return user.has_perm("consultations.mark_any_solution")


def can_claim(user: User, thread: Thread) -> bool:
    if not can_answer(user, thread):
        return False
    if thread.is_solved:
        return False
    return thread.claimed_by_id is None


def can_release_claim(user: User, thread: Thread) -> bool:
    if not _active(user):
        return False
    if thread.claimed_by_id is None:
        return False
    if thread.claimed_by_id == user.pk:
        return True
    return user.has_perm("consultations.mark_any_solution")


def can_assign_thread(user: User, thread: Thread) -> bool:
    """Hand an open question to a colleague, or free it (managers, from the desk)."""
    if not _active(user):
        return False
    if thread.is_solved:
        return False
    return user.has_perm("consultations.mark_any_solution")


def can_curate(user: User, thread: Thread) -> bool:
    """Link a solved thread to catalogue entries and turn its solution into FAQ items."""
    if not _active(user):
        return False
    if not thread.is_solved:
        return False
    return user.has_perm("consultations.add_faqitem")


# --- Callbacks -------------------------------------------------------------------------


def can_request_callback(user: User) -> bool:
    if not _active(user):
        return False
    return user.has_perm("consultations.add_callback")


def _serves_line(user: User, callback: Callback) -> bool:
    if callback.service_line_id is None:
        return False
    return user.service_lines.filter(pk=callback.service_line_id).exists()


def can_view_callback(user: User, callback: Callback) -> bool:
    """See that the callback exists (due time, reason, status), never the number."""
    if not _active(user):
        return False
    if callback.requester_id == user.pk:
        return True
    if callback.assignee_id == user.pk:
        return True
    if user.has_perm("consultations.view_callback"):
        return True
    return _serves_line(user, callback)


def can_see_callback_phone(user: User, callback: Callback) -> bool:
    """The customer's number: the requester and the assignee only. No admin override;
    every display is recorded (``services.callback_phone_show``)."""
    if not _active(user):
        return False
    if not callback.phone:
        return False
    if callback.requester_id is not None and callback.requester_id == user.pk:
        return True
    return callback.assignee_id is not None and callback.assignee_id == user.pk


def can_assign_callback(user: User, callback: Callback) -> bool:
    """Change the assignee (the admin). Recorded and notified by the service."""
    if not _active(user):
        return False
    if callback.is_done:
        return False
    return user.has_perm("consultations.change_callback")


def can_take_callback(user: User, callback: Callback) -> bool:
    """Someone serving the line takes an unassigned line callback."""
    if not _active(user):
        return False
    if callback.is_done:
        return False
    if callback.assignee_id is not None:
        return False
    return _serves_line(user, callback)


def can_complete_callback(user: User, callback: Callback) -> bool:
    if not _active(user):
        return False
    if callback.is_done:
        return False
    if callback.assignee_id is not None and callback.assignee_id == user.pk:
        return True
    return callback.requester_id is not None and callback.requester_id == user.pk
