"""The kinds of live event. The client dispatches each as ``live:<kind>`` on
``document.body``; partials refresh on them (``hx-trigger="live:<kind> from:body"``)."""

from __future__ import annotations

QUESTION_POSTED = "question.posted"
QUESTION_WAITING = "question.waiting"
QUESTION_CLAIMED = "question.claimed"
QUESTION_ANSWERED = "question.answered"
QUESTION_SOLVED = "question.solved"
MENTION = "mention"
CALLBACK_ASSIGNED = "callback.assigned"
UNREAD_CHANGED = "unread.changed"

ALL = frozenset(
    {
        QUESTION_POSTED,
        QUESTION_WAITING,
        QUESTION_CLAIMED,
        QUESTION_ANSWERED,
        QUESTION_SOLVED,
        MENTION,
        CALLBACK_ASSIGNED,
        UNREAD_CHANGED,
    }
)
