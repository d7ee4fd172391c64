"""Who may do what to a success story. One predicate per action, one rule per line.

Two layers, both asked by views and services alike (nothing else decides):

- role predicates (``can_review_stories``, ``can_author_story``): may this person take
  part at all? A view refuses with 403 before anything else; a service asks again
  under the row lock, so a hand-made POST never moves a story its sender may not move;
- action predicates (``can_publish_story``…): the role *and* a move the state machine
  allows from the story's current state. Templates use them to show the buttons.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, AnonymousUser

from .models import Story

type AnyUser = AbstractUser | AnonymousUser

PUBLISH = "stories.publish_story"
State = Story.State


def _is_staff_member(user: AnyUser) -> bool:
    return user.is_authenticated and user.is_active


def _is_author(user: AnyUser, story: Story) -> bool:
    return story.author_id is not None and story.author_id == user.pk


def _allowed(story: Story, to_state: str) -> bool:
    return (story.state, to_state) in Story.TRANSITIONS


def can_author_story(user: AnyUser, story: Story) -> bool:
    """The story's own author, still allowed to write stories."""
    if not _is_staff_member(user):
        return False
    if not _is_author(user, story):
        return False
    return user.has_perm("stories.add_story")


def can_write_story(user: AnyUser) -> bool:
    if not _is_staff_member(user):
        return False
    return user.has_perm("stories.add_story")


def can_review_stories(user: AnyUser) -> bool:
    """The review queue and the management-meeting export."""
    if not _is_staff_member(user):
        return False
    return user.has_perm(PUBLISH)


def can_view_story(user: AnyUser, story: Story) -> bool:
    if not _is_staff_member(user):
        return False
    if story.state == State.PUBLISHED:
        return True
    if _is_author(user, story):
        return True
    if story.state == State.DRAFT:
        return False
    return user.has_perm(PUBLISH)


def can_edit_story(user: AnyUser, story: Story) -> bool:
    if story.state in Story.AUTHOR_EDITABLE and can_author_story(user, story):
        return True
    if story.state in Story.PUBLISHER_EDITABLE:
        return can_review_stories(user)
    return False


def can_autosave_story(user: AnyUser, story: Story) -> bool:
    """Autosave is for the author's own work in progress, never a live story."""
    if story.state not in Story.AUTHOR_EDITABLE:
        return False
    return can_edit_story(user, story)


def can_submit_story(user: AnyUser, story: Story) -> bool:
    if not _allowed(story, State.SUBMITTED):
        return False
    return can_author_story(user, story)


def can_publish_story(user: AnyUser, story: Story) -> bool:
    if not _allowed(story, State.PUBLISHED):
        return False
    return can_review_stories(user)


def can_schedule_story(user: AnyUser, story: Story) -> bool:
    if not _allowed(story, State.SCHEDULED):
        return False
    return can_review_stories(user)


def can_return_story(user: AnyUser, story: Story) -> bool:
    if not _allowed(story, State.RETURNED):
        return False
    return can_review_stories(user)


def can_archive_story(user: AnyUser, story: Story) -> bool:
    if not _allowed(story, State.ARCHIVED):
        return False
    return can_review_stories(user)


def can_see_history(user: AnyUser, story: Story) -> bool:
    """The workflow history and return comments: the author and publishers."""
    if not _is_staff_member(user):
        return False
    if _is_author(user, story):
        return True
    return user.has_perm(PUBLISH)


def can_thank_story(user: AnyUser, story: Story) -> bool:
    if not _is_staff_member(user):
        return False
    if story.state != State.PUBLISHED:
        return False
    if _is_author(user, story):
        return False  # colleagues thank; the author is thanked
    return user.has_perm("stories.add_storythanks")


def can_comment_story(user: AnyUser, story: Story) -> bool:
    if not _is_staff_member(user):
        return False
    if story.state != State.PUBLISHED:
        return False
    return user.has_perm("stories.add_storycomment")
