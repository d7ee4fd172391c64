from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from apps.stories import selectors, services
from apps.stories.models import Story

from .factories import SAVINGS, story, theme

pytestmark = pytest.mark.django_db

State = Story.State


def test_latest_published_is_newest_first_with_counts(advisor, colleague):
    now = timezone.now()
    older = story(
        author=advisor, state=State.PUBLISHED, published_at=now - datetime.timedelta(days=2)
    )
    newer = story(author=advisor, state=State.PUBLISHED, published_at=now)
    story(author=advisor, state=State.SUBMITTED)
    services.story_thank(story=older, user=colleague)
    services.comment_post(story=older, author=colleague, body="Hyvä!")

    latest = selectors.latest_published(limit=5)

    assert [s.pk for s in latest] == [newer.pk, older.pk]
    assert (latest[1].thanks_count, latest[1].comments_count) == (1, 1)


def test_latest_published_respects_the_limit(advisor):
    for _ in range(4):
        story(author=advisor, state=State.PUBLISHED)

    assert len(selectors.latest_published(limit=3)) == 3


def test_story_list_unit_filter_ignores_case(advisor):
    kotka = story(author=advisor, state=State.PUBLISHED, unit="Kotkan tiimi")

    assert list(selectors.story_list(unit="kotkan TIIMI")) == [kotka]


def test_story_list_theme_filter(advisor):
    saving = story(author=advisor, state=State.PUBLISHED, themes=(SAVINGS,))
    story(author=advisor, state=State.PUBLISHED)

    assert list(selectors.story_list(theme=theme(SAVINGS))) == [saving]


def test_unit_choices_merge_case_variants_of_published_stories(advisor):
    story(author=advisor, state=State.PUBLISHED, unit="Kotka")
    story(author=advisor, state=State.PUBLISHED, unit="kotka")
    story(author=advisor, state=State.PUBLISHED, unit="Hamina")
    story(author=advisor, unit="Luonnosyksikkö")

    assert selectors.unit_choices() == ["Hamina", "Kotka"]


def test_year_choices_are_years_with_published_stories(advisor):
    story(
        author=advisor,
        state=State.PUBLISHED,
        published_at=datetime.datetime(2024, 6, 1, 12, tzinfo=datetime.UTC),
    )
    story(
        author=advisor,
        state=State.PUBLISHED,
        published_at=datetime.datetime(2025, 12, 31, 23, 30, tzinfo=datetime.UTC),
    )

    # 31.12.2025 23.30 UTC is already 2026 in Helsinki.
    assert selectors.year_choices() == [2026, 2024]


def test_review_queue_puts_submitted_before_scheduled(advisor):
    scheduled = story(author=advisor, state=State.SCHEDULED)
    submitted = story(author=advisor, state=State.SUBMITTED)
    story(author=advisor)

    assert [s.pk for s in selectors.review_queue()] == [submitted.pk, scheduled.pk]


def test_period_report_uses_local_dates_and_counts_only_complete_waiting_figures(advisor):
    tz = timezone.get_current_timezone()
    inside = story(
        author=advisor,
        state=State.PUBLISHED,
        waiting_days_before=10,
        waiting_days_after=4,
        savings_eur=300,
        published_at=datetime.datetime(2025, 3, 1, 0, 30, tzinfo=tz),
    )
    story(
        author=advisor,
        state=State.PUBLISHED,
        waiting_days_before=50,
        published_at=datetime.datetime(2025, 3, 31, 12, tzinfo=tz),
    )
    story(
        author=advisor,
        state=State.PUBLISHED,
        savings_eur=10_000,
        published_at=datetime.datetime(2025, 2, 28, 23, 59, tzinfo=tz),
    )

    report = selectors.period_report(
        start=datetime.date(2025, 3, 1), end=datetime.date(2025, 3, 31)
    )

    assert report.count == 2
    assert report.stories[0].pk == inside.pk
    assert (report.savings_eur, report.waiting_days_saved, report.with_waiting) == (300, 6, 1)
    assert report.average_waiting_days_saved == 6


def test_story_for_page_knows_whether_the_reader_thanked(advisor, colleague, manager):
    published = story(author=advisor, state=State.PUBLISHED)
    services.story_thank(story=published, user=colleague)

    assert selectors.story_for_page(pk=published.pk, user=colleague).thanked_by_me is True
    assert selectors.story_for_page(pk=published.pk, user=manager).thanked_by_me is False
