"""Every read of success stories: the one place that shapes their querysets."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from .models import Story, StoryComment, StoryThanks, StoryTransition, Theme

if TYPE_CHECKING:
    from apps.accounts.models import User

State = Story.State


def _with_counts(qs: QuerySet[Story]) -> QuerySet[Story]:
    return qs.annotate(
        thanks_count=Count("thanks", distinct=True),
        comments_count=Count("comments", distinct=True),
    )


def _listing(qs: QuerySet[Story]) -> QuerySet[Story]:
    return _with_counts(qs.select_related("author").prefetch_related("themes"))


def published() -> QuerySet[Story]:
    return Story.objects.filter(state=State.PUBLISHED)


def latest_published(*, limit: int = 5) -> list[Story]:
    """The front page's newest published stories."""
    return list(_listing(published()).order_by("-published_at", "-pk")[:limit])


def story_list(
    *, theme: Theme | None = None, unit: str = "", year: int | None = None
) -> QuerySet[Story]:
    """Published stories, newest first, filtered by theme, unit and publication year."""
    qs = published()
    if theme is not None:
        qs = qs.filter(themes=theme)
    if unit:
        qs = qs.filter(unit__iexact=unit)
    if year is not None:
        qs = qs.filter(published_at__year=year)
    return _listing(qs).order_by("-published_at", "-pk")


def theme_choices() -> QuerySet[Theme]:
    return Theme.objects.filter(is_active=True)


def unit_choices() -> list[str]:
    """Units of published stories, for the filter (case variants merged)."""
    seen: dict[str, str] = {}
    for unit in (
        published().exclude(unit="").order_by("unit").values_list("unit", flat=True).distinct()
    ):
        seen.setdefault(unit.casefold(), unit)
    return sorted(seen.values(), key=str.casefold)


def known_units() -> list[str]:
    """Every unit written so far, as suggestions for a new story."""
    return list(
        Story.objects.exclude(unit="")
        .order_by("unit")
        .values_list("unit", flat=True)
        .distinct()[:200]
    )


def year_choices() -> list[int]:
    tz = timezone.get_current_timezone()
    return list(
        published()
        .annotate(year=ExtractYear("published_at", tzinfo=tz))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def story_for_page(*, pk: int, user: User) -> Story:
    """One story with what its page shows. Raises Story.DoesNotExist."""
    comments = StoryComment.objects.select_related("author")
    transitions = StoryTransition.objects.select_related("actor")
    return (
        _with_counts(Story.objects.all())
        .select_related("author", "scheduled_by")
        .prefetch_related(
            "themes",
            Prefetch("comments", queryset=comments),
            Prefetch("transitions", queryset=transitions),
        )
        .annotate(
            thanked_by_me=Exists(StoryThanks.objects.filter(story=OuterRef("pk"), user_id=user.pk))
        )
        .get(pk=pk)
    )


def thanks_summary(*, story: Story, user: User) -> tuple[int, bool]:
    """(how many have thanked, whether ``user`` has)."""
    rows = StoryThanks.objects.filter(story=story)
    return rows.count(), rows.filter(user_id=user.pk).exists()


def my_stories(*, user: User) -> QuerySet[Story]:
    return _listing(Story.objects.filter(author=user)).order_by(
        F("published_at").desc(nulls_first=True), "-updated_at"
    )


def review_queue() -> QuerySet[Story]:
    """What waits for a manager: submitted first (oldest first), then scheduled."""
    return _listing(Story.objects.filter(state__in=[State.SUBMITTED, State.SCHEDULED])).order_by(
        "-state", "submitted_at", "publish_at"
    )


def recently_handled(*, limit: int = 20) -> QuerySet[Story]:
    return _listing(Story.objects.filter(state__in=[State.RETURNED, State.ARCHIVED])).order_by(
        "-updated_at"
    )[:limit]


def due_story_ids(*, now: datetime.datetime) -> list[int]:
    return list(
        Story.objects.filter(state=State.SCHEDULED, publish_at__lte=now)
        .order_by("publish_at")
        .values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class PeriodReport:
    start: datetime.date
    end: datetime.date
    stories: list[Story]
    count: int
    savings_eur: int
    partners: int
    waiting_days_saved: int
    with_waiting: int

    @property
    def average_waiting_days_saved(self) -> float | None:
        return self.waiting_days_saved / self.with_waiting if self.with_waiting else None


def period_report(*, start: datetime.date, end: datetime.date) -> PeriodReport:
    """Stories published from ``start`` to ``end`` (inclusive, local dates), impact summed.

    A story published in the period counts even if it has been archived since, as in
    the reports app's success-story report.
    """
    in_period = Story.objects.filter(
        state__in=[State.PUBLISHED, State.ARCHIVED],
        published_at__date__gte=start,
        published_at__date__lte=end,
    )
    has_waiting = Q(waiting_days_before__isnull=False, waiting_days_after__isnull=False)
    totals = in_period.aggregate(
        savings=Sum("savings_eur"),
        partners=Sum("partners_count"),
        waiting=Sum(F("waiting_days_before") - F("waiting_days_after"), filter=has_waiting),
        with_waiting=Count("pk", filter=has_waiting),
    )
    stories = list(_listing(in_period).order_by("published_at", "pk"))
    return PeriodReport(
        start=start,
        end=end,
        stories=stories,
        count=len(stories),
        savings_eur=totals["savings"] or 0,
        partners=totals["partners"] or 0,
        waiting_days_saved=totals["waiting"] or 0,
        with_waiting=totals["with_waiting"],
    )
