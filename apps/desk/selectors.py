"""Reads of the desk (the front page), one function per panel.

Each panel is one query (two for stories, whose themes are prefetched), whatever the
number of rows: the desk is refreshed live and by polling, so its cost is fixed.

Who sees what: an advisor's panels hold questions on the lines they serve and callbacks
assigned to them only; the team panels (every open callback and every waiting or
unanswered question) are for those ``permissions.can_view_team`` lets in.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When

from apps.accounts.models import User
from apps.catalogue import selectors as catalogue_selectors
from apps.consultations.models import Answer, Callback, Thread, Urgency
from apps.contacts import selectors as contact_selectors
from apps.stories import selectors as story_selectors

if TYPE_CHECKING:
    from apps.catalogue.models import Entry, ProblemReport
    from apps.contacts.selectors import DayTally
    from apps.stories.models import Story

PANEL_LIMIT = 20
TEAM_LIMIT = 100
STORY_LIMIT = 3


def _answered() -> Exists:
    return Exists(Answer.objects.filter(thread=OuterRef("pk"), kind=Answer.Kind.ANSWER))


def _threads() -> QuerySet[Thread]:
    return Thread.objects.filter(status=Thread.Status.OPEN).select_related(
        "service_line", "municipality", "author", "claimed_by"
    )


def _waiting_first() -> Case:
    return Case(When(urgency=Urgency.WAITING, then=Value(0)), default=Value(1))


def _on_my_lines(user: User) -> Q:
    return Q(service_line__in=user.service_lines.all())


def waiting_questions(*, user: User) -> list[Thread]:
    """Caller-waiting questions on the lines I serve, the longest wait first."""
    return list(
        _threads()
        .filter(_on_my_lines(user), urgency=Urgency.WAITING)
        .order_by("created_at", "pk")[:PANEL_LIMIT]
    )


def answerable_questions(*, user: User) -> list[Thread]:
    """Other open questions on my lines that I could take: not mine, not waiting (those
    have their own panel), nobody researching them; the unanswered first."""
    return list(
        _threads()
        .filter(_on_my_lines(user), claimed_by__isnull=True)
        .exclude(urgency=Urgency.WAITING)
        .exclude(author=user)
        .annotate(
            answered=_answered(),
            answer_count=Count("answers", filter=Q(answers__kind=Answer.Kind.ANSWER)),
        )
        .order_by("answered", F("last_activity_at").desc(), "-pk")[:PANEL_LIMIT]
    )


def claimed_questions(*, user: User) -> list[Thread]:
    """Open questions I am researching, the waiting ones first, then the oldest claim."""
    return list(
        _threads()
        .filter(claimed_by=user)
        .annotate(answer_count=Count("answers", filter=Q(answers__kind=Answer.Kind.ANSWER)))
        .order_by(_waiting_first(), F("claimed_at").asc(nulls_last=True), "pk")[:PANEL_LIMIT]
    )


def _callbacks() -> QuerySet[Callback]:
    # Lists never load the number (consultations.selectors' rule).
    return (
        Callback.objects.defer("phone")
        .filter(status=Callback.Status.OPEN)
        .select_related("requester", "assignee", "service_line")
    )


def my_callbacks(*, user: User) -> list[Callback]:
    """Open callbacks assigned to me, by deadline: the overdue ones come first."""
    return list(_callbacks().filter(assignee=user).order_by("due_at", "pk")[:PANEL_LIMIT])


def day_tally(*, user: User) -> DayTally:
    return contact_selectors.day_tally(user)


def recent_entries(*, user: User) -> list[Entry]:
    return contact_selectors.recent_entries(user)


def latest_stories() -> list[Story]:
    return story_selectors.latest_published(limit=STORY_LIMIT)


# --- Content editor -------------------------------------------------------------------


def overdue_entries(*, user: User, today: datetime.date | None = None) -> list[Entry]:
    """The entries I own whose review is overdue, the longest overdue first."""
    return catalogue_selectors.overdue_entries_of(user, today=today)


def problem_reports(*, user: User) -> list[ProblemReport]:
    """Open problem reports about the entries I own, newest first."""
    return catalogue_selectors.open_reports_for_owner(user)


# --- Team (managers) ------------------------------------------------------------------


def team_callbacks() -> list[Callback]:
    """Every open callback, by deadline (the overdue first), with its assignee or line."""
    return list(_callbacks().order_by("due_at", "pk")[:TEAM_LIMIT])


def team_questions() -> list[Thread]:
    """Every open question that is caller-waiting or still unanswered: the waiting ones
    first (longest wait first), then the unanswered, oldest first."""
    return list(
        _threads()
        .annotate(answered=_answered())
        .filter(Q(urgency=Urgency.WAITING) | Q(answered=False))
        .order_by(_waiting_first(), "created_at", "pk")[:TEAM_LIMIT]
    )


def assignable_staff_queryset() -> QuerySet[User]:
    """Active staff who may answer questions: whom a manager can hand work to."""
    return (
        User.objects.filter(
            is_active=True,
            groups__permissions__codename="add_answer",
            groups__permissions__content_type__app_label="consultations",
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def assignable_staff() -> list[User]:
    return list(assignable_staff_queryset())
