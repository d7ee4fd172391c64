"""Every predicate, every role, every state: one shared setup (Zulip style)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from apps.stories import permissions
from apps.stories.models import Story

from .factories import story

pytestmark = pytest.mark.django_db

State = Story.State
ALL_STATES = list(State)


@pytest.fixture
def people(advisor, colleague, editor, manager, superuser, django_user_model):
    inactive = django_user_model.objects.create_user("entinen", is_active=False)
    inactive.groups.add(*manager.groups.all())
    return {
        "author": advisor,
        "colleague": colleague,
        "editor": editor,
        "manager": manager,
        "superuser": superuser,
        "inactive_manager": inactive,
        "anonymous": AnonymousUser(),
    }


def allowed(predicate, people, story_obj) -> set[str]:
    return {name for name, user in people.items() if predicate(user, story_obj)}


PUBLISHERS = {"manager", "superuser"}


@pytest.mark.parametrize("state", ALL_STATES)
def test_workflow_predicates_follow_role_and_state(people, advisor, state):
    s = story(author=advisor, state=state)

    def expected(to_state: str, who: set[str]) -> set[str]:
        return who if (state, to_state) in Story.TRANSITIONS else set()

    assert allowed(permissions.can_publish_story, people, s) == expected(
        State.PUBLISHED, PUBLISHERS
    )
    assert allowed(permissions.can_schedule_story, people, s) == expected(
        State.SCHEDULED, PUBLISHERS
    )
    assert allowed(permissions.can_return_story, people, s) == expected(State.RETURNED, PUBLISHERS)
    assert allowed(permissions.can_archive_story, people, s) == expected(State.ARCHIVED, PUBLISHERS)
    assert allowed(permissions.can_submit_story, people, s) == expected(State.SUBMITTED, {"author"})


def test_advisor_may_do_no_publisher_action_in_any_state(advisor):
    for state in ALL_STATES:
        s = story(author=advisor, state=state)
        for predicate in (
            permissions.can_publish_story,
            permissions.can_schedule_story,
            permissions.can_return_story,
            permissions.can_archive_story,
        ):
            assert not predicate(advisor, s), (predicate.__name__, state)
    assert not permissions.can_review_stories(advisor)


@pytest.mark.parametrize(
    ("state", "editors"),
    [
        (State.DRAFT, {"author"}),
        (State.RETURNED, {"author"}),
        (State.SUBMITTED, PUBLISHERS),
        (State.SCHEDULED, PUBLISHERS),
        (State.PUBLISHED, PUBLISHERS),
        (State.ARCHIVED, set()),
    ],
)
def test_can_edit_story(people, advisor, state, editors):
    s = story(author=advisor, state=state)

    assert allowed(permissions.can_edit_story, people, s) == editors
    autosavers = editors if state in Story.AUTHOR_EDITABLE else set()
    assert allowed(permissions.can_autosave_story, people, s) == autosavers


@pytest.mark.parametrize(
    ("state", "viewers"),
    [
        (State.DRAFT, {"author"}),
        (State.SUBMITTED, {"author"} | PUBLISHERS),
        (State.RETURNED, {"author"} | PUBLISHERS),
        (State.SCHEDULED, {"author"} | PUBLISHERS),
        (State.PUBLISHED, {"author", "colleague", "editor"} | PUBLISHERS),
        (State.ARCHIVED, {"author"} | PUBLISHERS),
    ],
)
def test_can_view_story(people, advisor, state, viewers):
    s = story(author=advisor, state=state)

    assert allowed(permissions.can_view_story, people, s) == viewers


def test_thank_and_comment_only_on_published_stories(people, advisor):
    published = story(author=advisor, state=State.PUBLISHED)
    everyone = {"author", "colleague", "editor"} | PUBLISHERS

    assert allowed(permissions.can_thank_story, people, published) == everyone - {"author"}
    assert allowed(permissions.can_comment_story, people, published) == everyone
    for state in set(ALL_STATES) - {State.PUBLISHED}:
        s = story(author=advisor, state=state)
        assert allowed(permissions.can_thank_story, people, s) == set()
        assert allowed(permissions.can_comment_story, people, s) == set()


def test_history_is_for_the_author_and_publishers(people, advisor):
    s = story(author=advisor, state=State.PUBLISHED)

    assert allowed(permissions.can_see_history, people, s) == {"author"} | PUBLISHERS


def test_writing_and_reviewing_roles(people):
    assert {n for n, u in people.items() if permissions.can_write_story(u)} == {
        "author",
        "colleague",
        "editor",
    } | PUBLISHERS
    assert {n for n, u in people.items() if permissions.can_review_stories(u)} == PUBLISHERS
