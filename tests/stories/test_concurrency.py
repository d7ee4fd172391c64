"""Races that real users make: many threads, each with its own database connection."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

import pytest
from django.db import connection

from apps.accounts import roles
from apps.stories import services
from apps.stories.models import Story, StoryThanks, StoryTransition
from apps.stories.services import StoryContent
from tests.conftest import make_user

from .factories import story

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data_tx")]

State = Story.State


def run_together(calls: list[Callable[[], object]]) -> list[object]:
    """Start every call at the same moment; return results (or raised exceptions)."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(i: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_story_thank_at_once_by_one_person_counts_once(advisor, colleague):
    published = story(author=advisor, state=State.PUBLISHED)

    results = run_together([lambda: services.story_thank(story=published, user=colleague)] * 8)

    assert sorted(results) == [False] * 7 + [True]
    assert StoryThanks.objects.filter(story=published).count() == 1


def test_story_thank_at_once_by_many_people_counts_each(advisor, django_user_model):
    published = story(author=advisor, state=State.PUBLISHED)
    people = [make_user(django_user_model, f"kollega{i}", roles.ADVISOR) for i in range(8)]

    results = run_together(
        [
            (lambda user=user: services.story_thank(story=published, user=user))
            for user in people
            for _ in range(2)
        ]
    )

    assert results.count(True) == 8
    assert StoryThanks.objects.filter(story=published).count() == 8


def test_story_create_double_submit_at_once_makes_one_story(advisor):
    token = uuid.uuid4()
    content = StoryContent(title="Samaan aikaan", lead="Kaksi klikkausta.")

    results = run_together(
        [lambda: services.story_create(author=advisor, token=token, content=content)] * 4
    )

    assert all(isinstance(r, Story) for r in results), results
    assert {r.pk for r in results} == {Story.objects.get().pk}
    assert Story.objects.get().version == 1


def test_story_publish_by_two_managers_at_once_records_one_transition(
    advisor, manager, django_user_model
):
    other = make_user(django_user_model, "esihenkilo2", roles.MANAGER)
    submitted = story(author=advisor, state=State.SUBMITTED)

    results = run_together(
        [
            lambda: services.story_publish(story=submitted, actor=manager),
            lambda: services.story_publish(story=submitted, actor=other),
        ]
    )

    assert all(isinstance(r, Story) for r in results), results
    assert StoryTransition.objects.filter(story=submitted).count() == 1


def test_story_publish_and_return_at_once_leave_one_consistent_outcome(
    advisor, manager, django_user_model
):
    other = make_user(django_user_model, "esihenkilo2", roles.MANAGER)
    submitted = story(author=advisor, state=State.SUBMITTED)

    run_together(
        [
            lambda: services.story_publish(story=submitted, actor=manager),
            lambda: services.story_return(
                story=submitted, actor=other, comment="Vielä yksi korjaus"
            ),
        ]
    )

    submitted.refresh_from_db()
    moves = list(
        StoryTransition.objects.filter(story=submitted).values_list("from_state", "to_state")
    )
    # Whichever came first won; the other saw the new state and was refused.
    assert moves in ([("submitted", "published")], [("submitted", "returned")])
    assert submitted.state == moves[0][1]
