"""Scheduled publishing through a real Celery worker (a thread of this process)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from apps.notifications.models import Notification
from apps.stories.models import Story, StoryTransition
from apps.stories.tasks import publish_due_stories

from .factories import story

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data_tx")]

State = Story.State


def test_publish_due_stories_publishes_due_stories_through_the_worker(
    celery_worker, advisor, manager
):
    now = timezone.now()
    due = story(
        author=advisor,
        state=State.SCHEDULED,
        scheduled_by=manager,
        publish_at=now - datetime.timedelta(seconds=5),
    )
    future = story(
        author=advisor, state=State.SCHEDULED, publish_at=now + datetime.timedelta(hours=2)
    )

    published = publish_due_stories.delay().get(timeout=20)

    assert published == 1
    due.refresh_from_db()
    future.refresh_from_db()
    assert due.state == State.PUBLISHED
    assert due.published_at is not None
    assert future.state == State.SCHEDULED
    assert Notification.objects.filter(recipient=advisor, verb="story_published").count() == 1


def test_publish_due_stories_run_concurrently_publishes_each_story_once(celery_worker, advisor):
    now = timezone.now()
    stories = [
        story(author=advisor, state=State.SCHEDULED, publish_at=now - datetime.timedelta(minutes=1))
        for _ in range(3)
    ]

    results = [publish_due_stories.delay(now.isoformat()) for _ in range(3)]

    assert sum(r.get(timeout=20) for r in results) == 3
    for s in stories:
        s.refresh_from_db()
        assert s.state == State.PUBLISHED
    assert StoryTransition.objects.filter(to_state=State.PUBLISHED).count() == 3
    assert Notification.objects.filter(verb="story_published").count() == 3


def test_publish_due_stories_is_scheduled_every_minute_by_beat():
    task = PeriodicTask.objects.get(task="stories.publish_due_stories")

    assert task.enabled
    assert (task.interval.every, task.interval.period) == (1, "minutes")
