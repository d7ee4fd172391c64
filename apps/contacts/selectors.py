"""Reads of the contact log."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from apps.catalogue.models import Entry, ServiceLine

from .models import Channel, ContactRecord, RecentEntryView

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from apps.accounts.models import User

RECENT_MINUTES = 30
RECENT_LIMIT = 8
SEARCH_LIMIT = 10


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """Midnight to midnight in the current time zone (Europe/Helsinki)."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


@dataclass(frozen=True)
class DayTally:
    total: int
    solved: int
    consulted: int
    by_channel: list[tuple[StrOrPromise, int]]  # the channels used, in Channel's order


def day_tally(user: User, day: datetime.date | None = None) -> DayTally:
    """The advisor's own contacts on ``day`` (default: today in Helsinki), in one query."""
    start, end = day_bounds(day or timezone.localdate())
    figures = ContactRecord.objects.filter(
        advisor=user, created_at__gte=start, created_at__lt=end
    ).aggregate(
        total=Count("id"),
        solved=Count("id", filter=Q(solved=True)),
        consulted=Count("id", filter=Q(consulted=True)),
        **{f"channel_{value}": Count("id", filter=Q(channel=value)) for value in Channel.values},
    )
    return DayTally(
        total=figures["total"],
        solved=figures["solved"],
        consulted=figures["consulted"],
        by_channel=[
            (label, figures[f"channel_{value}"])
            for value, label in Channel.choices
            if figures[f"channel_{value}"]
        ],
    )


def recent_entries(
    user: User, *, minutes: int = RECENT_MINUTES, limit: int = RECENT_LIMIT
) -> list[Entry]:
    """Entries the user opened in the last ``minutes``, newest first."""
    since = timezone.now() - datetime.timedelta(minutes=minutes)
    views = (
        RecentEntryView.objects.filter(user=user, viewed_at__gte=since)
        .select_related("entry")
        .order_by("-viewed_at")[:limit]
    )
    return [view.entry for view in views]


def topic_search(q: str, *, limit: int = SEARCH_LIMIT) -> list[Entry]:
    """Entries whose title (in any language) or keywords contain ``q``."""
    q = " ".join((q or "").split())
    if len(q) < 2:
        return []
    return list(
        Entry.objects.filter(
            Q(title_fi__icontains=q)
            | Q(title_sv__icontains=q)
            | Q(title_en__icontains=q)
            | Q(keywords__contains=[q.lower()])
        ).order_by("title_fi")[:limit]
    )


def default_line(user: User) -> ServiceLine | None:
    """The line of the advisor's latest contact, else the first line they serve."""
    last = (
        ContactRecord.objects.filter(advisor=user)
        .order_by("-created_at")
        .select_related("service_line")
        .first()
    )
    if last is not None:
        return last.service_line
    return user.service_lines.order_by("position", "key").first()


def own_contacts(user: User, day: datetime.date | None = None) -> QuerySet[ContactRecord]:
    start, end = day_bounds(day or timezone.localdate())
    return (
        ContactRecord.objects.filter(advisor=user, created_at__gte=start, created_at__lt=end)
        .select_related("service_line", "municipality", "entry")
        .order_by("-created_at")
    )


def contact_records_citing_count(*, entries: QuerySet[Entry] | Sequence[Entry]) -> int:
    """How many contacts cite one of ``entries`` (what deleting them would touch)."""
    return ContactRecord.objects.filter(entry__in=entries).count()
