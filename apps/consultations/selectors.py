"""Reads of the consultation threads and callbacks: the one place that shapes their querysets.

Callback querysets meant for lists ``defer("phone")``: the number is loaded only on the
detail page, and only rendered there to those allowed to see it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Greatest
from django.utils import timezone

from apps.catalogue.models import Entry
from apps.catalogue.search import EntrySource
from apps.search.selectors import search

from .models import Answer, Callback, FaqItem, Follow, Thread, ThreadRevision, Urgency
from .services import retention_cutoff

if TYPE_CHECKING:
    from apps.accounts.models import User

BOARD_LIMIT = 100
SIMILAR_MIN_SCORE = 0.35
SIMILAR_ENTRY_RELATIVE_SCORE = 1 / 3


@dataclass(frozen=True)
class BoardFilters:
    line: str = ""  # a ServiceLine key, "omat" = the lines I serve, "" = all
    municipality: str = ""  # a Municipality code
    mine: bool = False  # asked, claimed or followed by me
    unanswered: bool = False
    status: str = "open"  # "open", "solved" or "all"
    q: str = ""


def _answer_count() -> Count:
    return Count("answers", filter=Q(answers__kind=Answer.Kind.ANSWER), distinct=True)


def thread_board(*, user: User, filters: BoardFilters) -> list[Thread]:
    """Open questions: caller-waiting on top (oldest first, their age ticks), then the
    unanswered, then the rest by latest activity."""
    qs = Thread.objects.select_related(
        "service_line", "municipality", "author", "claimed_by"
    ).annotate(
        answer_count=_answer_count(),
        answered=Exists(Answer.objects.filter(thread=OuterRef("pk"), kind=Answer.Kind.ANSWER)),
        bucket=Case(
            When(Q(urgency=Urgency.WAITING) & Q(status=Thread.Status.OPEN), then=Value(0)),
            When(Q(answered=False) & Q(status=Thread.Status.OPEN), then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        urgency_rank=Case(
            When(urgency=Urgency.TODAY, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        following=Exists(Follow.objects.filter(thread=OuterRef("pk"), user=user.pk)),
    )
    if filters.status in (Thread.Status.OPEN, Thread.Status.SOLVED):
        qs = qs.filter(status=filters.status)
    if filters.line == "omat":
        qs = qs.filter(service_line__in=user.service_lines.all())
    elif filters.line:
        qs = qs.filter(service_line__key=filters.line)
    if filters.municipality:
        qs = qs.filter(municipality__code=filters.municipality)
    if filters.mine:
        qs = qs.filter(
            Q(author=user)
            | Q(claimed_by=user)
            | Exists(Follow.objects.filter(thread=OuterRef("pk"), user=user.pk))
        )
    if filters.unanswered:
        qs = qs.filter(answered=False)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(body__icontains=filters.q))
    qs = qs.order_by(
        "bucket",
        # Waiting callers: the one waiting longest first.
        Case(When(bucket=0, then=F("created_at"))).asc(nulls_last=True),
        "urgency_rank",
        F("last_activity_at").desc(),
        "-pk",
    )
    return list(qs[:BOARD_LIMIT])


def thread_detail(*, pk: int) -> Thread:
    answers = Answer.objects.select_related("author").order_by("created_at", "pk")
    return (
        Thread.objects.select_related(
            "service_line", "municipality", "author", "claimed_by", "solved_by", "solution__author"
        )
        .prefetch_related(
            Prefetch("answers", queryset=answers),
            Prefetch("entries", queryset=Entry.objects.order_by("title_fi")),
        )
        .get(pk=pk)
    )


def thread_edit_queryset() -> QuerySet[Thread]:
    """Threads with what the edit form shows, for looking one up by id."""
    return Thread.objects.select_related("service_line")


def answer_edit_queryset() -> QuerySet[Answer]:
    """Answers with their thread and author, for looking one up by id."""
    return Answer.objects.select_related("thread", "author")


def thread_or_none(*, pk: int) -> Thread | None:
    """The thread a callback request refers to, or None when there is none."""
    return Thread.objects.filter(pk=pk).first()


def thread_is_following(*, thread: Thread, user: User) -> bool:
    return Follow.objects.filter(thread=thread, user=user).exists()


def thread_history(*, thread: Thread) -> dict[str, list[ThreadRevision] | list[Answer]]:
    return {
        "thread_revisions": list(
            ThreadRevision.objects.filter(thread=thread)
            .select_related("editor")
            .order_by("-number")
        ),
        "answers": list(
            thread.answers.filter(version__gt=1)
            .select_related("author")
            .prefetch_related("revisions__editor")
            .order_by("created_at")
        ),
    }


def similar_threads(*, title: str, exclude_pk: int | None = None, limit: int = 5) -> list[Thread]:
    """Threads, open or solved, whose title or question resembles ``title``: trigram word
    similarity either way round, so a short title inside a long question counts as much
    as the question inside a title (and it survives Finnish inflection reasonably well).
    Solved ones first among equals."""
    title = " ".join((title or "").split())
    if len(title) < 4:
        return []
    qs = (
        Thread.objects.annotate(
            score=Greatest(
                TrigramWordSimilarity(title, "title"),
                TrigramWordSimilarity(title, "body"),
                Func(
                    F("title"), Value(title), function="word_similarity", output_field=FloatField()
                ),
            )
        )
        .filter(score__gte=SIMILAR_MIN_SCORE)
        .select_related("service_line")
        .order_by("-score", "-solved_at", "-created_at")
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs[:limit])


def similar_entries(*, title: str, municipality: str = "", limit: int = 5) -> list[Entry]:
    """Catalogue entries that the search finds for ``title`` (its Finnish analysis: lemmas,
    compounds, synonyms), available in ``municipality`` when one is chosen; the weak tail
    (under a third of the best score) is left out."""
    title = " ".join((title or "").split())
    if len(title) < 4:
        return []
    result = search(
        query=title, municipality=municipality, doc_types=EntrySource.doc_types, limit=limit
    )
    top = max((hit.score for hit in result.hits), default=0.0)
    keys = [hit.key for hit in result.hits if hit.score >= top * SIMILAR_ENTRY_RELATIVE_SCORE]
    entries = Entry.objects.in_bulk(keys, field_name="key")
    return [entries[key] for key in keys if key in entries]


def entry_choices() -> QuerySet[Entry]:
    return Entry.objects.order_by("title_fi").only("pk", "title", "title_fi", "key")


def entry_faq(*, entry: Entry) -> list[FaqItem]:
    return list(entry.faq_items.select_related("source_thread").order_by("position", "pk"))


# --- Callbacks ----------------------------------------------------------------------


def _callback_list_qs() -> QuerySet[Callback]:
    return Callback.objects.defer("phone").select_related(
        "requester", "assignee", "service_line", "thread"
    )


def callback_board(*, user: User) -> list[Callback]:
    """My open callbacks: assigned to me, requested by me, or waiting on a line I serve."""
    return list(
        _callback_list_qs()
        .filter(status=Callback.Status.OPEN)
        .filter(
            Q(assignee=user)
            | Q(requester=user)
            | Q(assignee__isnull=True, service_line__in=user.service_lines.all())
        )
        .order_by("due_at", "pk")
    )


def callback_list(*, user: User, include_done: bool = False) -> list[Callback]:
    qs = _callback_list_qs().filter(
        Q(assignee=user)
        | Q(requester=user)
        | Q(assignee__isnull=True, service_line__in=user.service_lines.all())
    )
    if not include_done:
        qs = qs.filter(status=Callback.Status.OPEN)
    return list(qs.order_by("status", "due_at", "pk")[:200])


def callback_detail(*, pk: int) -> Callback:
    return (
        Callback.objects.select_related(
            "requester", "assignee", "service_line", "thread", "done_by"
        )
        .prefetch_related("events__actor")
        .get(pk=pk)
    )


def callbacks_due_for_erasure(*, now: datetime.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        Callback.objects.filter(
            status=Callback.Status.DONE,
            phone_erased_at__isnull=True,
            done_at__lte=retention_cutoff(now),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def callbacks_newly_overdue(*, now: datetime.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        Callback.objects.filter(
            status=Callback.Status.OPEN, due_at__lt=now, overdue_notified_at__isnull=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
