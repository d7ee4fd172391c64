"""What the consultations push live (apps/live): who hears of each change, and what.

Audiences are worked out here from the permission predicates, in the service's
transaction; the events go out only if it commits. Payloads hold ids and, for a
caller-waiting question, its title, line and address: things every member of the
audience may see on the board.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from apps.live import kinds
from apps.live.services import publish

from . import permissions

if TYPE_CHECKING:
    from apps.accounts.models import User

    from .models import Answer, Callback, Thread


def _ids(users: Iterable[User]) -> set[int]:
    return {u.pk for u in users}


# permissions.can_view_threads for many users in one query: active users holding the
# permission (directly, through a group, or as superusers), as Django's ModelBackend,
# which our sign-in backends extend, answers has_perm.
_READ_PERMISSION = "consultations.view_thread"
_PERMISSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _readers() -> QuerySet[User]:
    users: QuerySet[User] = get_user_model().objects.with_perm(
        _READ_PERMISSION, backend=_PERMISSION_BACKEND
    )
    return users


def line_viewer_ids(service_line_id: int | None) -> set[int]:
    """Active users serving the line who may read the questions."""
    if service_line_id is None:
        return set()
    return set(_readers().filter(service_lines=service_line_id).values_list("pk", flat=True))


def _thread_audience(thread: Thread) -> set[int]:
    """The line's readers, the asker and the followers (who may all read it): one query."""
    concerned = Q(followed_threads=thread)
    if thread.service_line_id is not None:
        concerned |= Q(service_lines=thread.service_line_id)
    readers = _readers().filter(concerned)
    people = set(readers.values_list("pk", flat=True).distinct())
    if thread.author_id is not None:
        people.add(thread.author_id)
    return people


def _thread_payload(thread: Thread) -> dict[str, object]:
    return {"thread": thread.pk, "line": thread.service_line_id}


def thread_posted(thread: Thread, *, waiting: bool) -> None:
    """A new question: the line hears of it; a caller-waiting one as an alert."""
    readers = line_viewer_ids(thread.service_line_id)
    if waiting:
        publish(
            kind=kinds.QUESTION_WAITING,
            audience=readers - {thread.author_id},
            payload={
                **_thread_payload(thread),
                "title": thread.title,
                "line_name": str(thread.service_line),
                "url": thread.get_absolute_url(),
            },
        )
        readers = set()
    publish(
        kind=kinds.QUESTION_POSTED,
        audience=readers | {thread.author_id},
        payload=_thread_payload(thread),
    )


def thread_claimed(thread: Thread) -> None:
    """Claimed or released: the asker, the followers and the line see who researches it."""
    publish(
        kind=kinds.QUESTION_CLAIMED,
        audience=_thread_audience(thread),
        payload={**_thread_payload(thread), "claimed": thread.claimed_by_id is not None},
    )


def answer_posted(answer: Answer, thread: Thread) -> None:
    publish(
        kind=kinds.QUESTION_ANSWERED,
        audience=_thread_audience(thread),
        payload={**_thread_payload(thread), "answer": answer.pk},
    )


def thread_solved(thread: Thread) -> None:
    publish(
        kind=kinds.QUESTION_SOLVED,
        audience=_thread_audience(thread),
        payload={**_thread_payload(thread), "answer": thread.solution_id},
    )


def mentioned(users: Iterable[User], thread: Thread) -> None:
    publish(
        kind=kinds.MENTION,
        audience=_ids(u for u in users if permissions.can_view_threads(u)),
        payload={"thread": thread.pk},
    )


def callback_assigned(callback: Callback, recipients: Iterable[User]) -> None:
    """The assignee (or the line) hears of a callback: its id only, never the number."""
    publish(
        kind=kinds.CALLBACK_ASSIGNED,
        audience=_ids(u for u in recipients if permissions.can_view_callback(u, callback)),
        payload={"callback": callback.pk},
    )
