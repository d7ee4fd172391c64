"""Every write to a success story.

The workflow is a small state machine (``Story.TRANSITIONS``). Each transition locks
the story row, asks the role predicate again under the lock (whatever the view did),
checks the move is allowed from the state the row is in *now*, records a
``StoryTransition`` (who, when, comment) and only then saves. Repeating the move that
was just made (a double click) is a no-op. Content saves use optimistic concurrency
(``Story.version``): a stale save that would change something is refused, while a
replay of the same content (a double submit, a retried autosave) is a no-op.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from apps.core.privacy import ensure_no_personal_data
from apps.notifications.services import notify
from apps.search.services import index_object, remove_object

from . import permissions, selectors
from .models import Story, StoryComment, StoryThanks, StoryTransition, Theme

if TYPE_CHECKING:
    from apps.accounts.models import User

State = Story.State


class StoryConflict(Exception):
    """The story changed since the sender loaded it; nothing was saved."""

    def __init__(self, story: Story) -> None:
        super().__init__(f"story {story.pk} is at version {story.version}")
        self.story = story


@dataclass(frozen=True)
class StoryContent:
    """What the author writes. ``themes`` is compared as a set of ids."""

    title: str = ""
    lead: str = ""
    body: str = ""
    unit: str = ""
    themes: tuple[Theme, ...] = ()
    waiting_days_before: int | None = None
    waiting_days_after: int | None = None
    partners_count: int | None = None
    savings_eur: int | None = None
    image_alt: str = ""

    TEXT_FIELDS = ("title", "lead", "body", "unit", "image_alt")
    NUMBER_FIELDS = ("waiting_days_before", "waiting_days_after", "partners_count", "savings_eur")

    def is_empty(self) -> bool:
        return not any(getattr(self, name).strip() for name in self.TEXT_FIELDS)


@dataclass
class ImageChange:
    """A new, already re-encoded image (``images.process_story_image``) or a removal."""

    new: ContentFile[bytes] | None = None
    remove: bool = False

    @property
    def changes_anything(self) -> bool:
        return self.new is not None or self.remove


# --- Content ------------------------------------------------------------------------


def _guard(content: StoryContent) -> None:
    ensure_no_personal_data({name: getattr(content, name) for name in content.TEXT_FIELDS})


def _differs(story: Story, content: StoryContent) -> bool:
    for name in (*content.TEXT_FIELDS, *content.NUMBER_FIELDS):
        if getattr(story, name) != getattr(content, name):
            return True
    current = set(story.themes.values_list("pk", flat=True))
    return current != {theme.pk for theme in content.themes}


def _save_content(
    story: Story,
    content: StoryContent,
    image: ImageChange | None,
    *,
    version: int,
    session: uuid.UUID | None,
) -> Story:
    """Under the lock: no-op on a replay, refuse a stale version from another page,
    else save and bump the version."""
    changes_image = image is not None and image.changes_anything
    if not _differs(story, content) and not changes_image:
        return story
    if version != story.version and (session is None or session != story.editing_session):
        raise StoryConflict(story)
    story.editing_session = session
    for name in (*content.TEXT_FIELDS, *content.NUMBER_FIELDS):
        setattr(story, name, getattr(content, name))
    will_have_image = (image.new is not None) if image and changes_image else bool(story.image)
    if will_have_image and not story.image_alt.strip():
        raise ValidationError({"image_alt": _("Kirjoita kuvalle tekstivastine.")})
    story.version += 1
    story.full_clean(exclude=["author", "scheduled_by", "image"])
    stale = story.image.name if changes_image and story.image else None
    written = None
    if image and changes_image and image.new is not None:
        story.image.save(image.new.name or "", image.new, save=False)
        written = story.image.name
    elif changes_image:
        story.image = ""
        story.image_width = story.image_height = None
    try:
        story.save()
        story.themes.set(content.themes)
    except Exception:
        if written:  # in storage but never committed: don't leave it behind
            story.image.storage.delete(written)
        raise
    if stale:
        storage = story.image.storage
        transaction.on_commit(lambda: storage.delete(stale))
    if story.state == State.PUBLISHED:
        index_object(story)
    return story


def story_create(
    *,
    author: User,
    token: uuid.UUID,
    content: StoryContent,
    version: int = 0,
    image: ImageChange | None = None,
) -> Story:
    """Create the author's draft, or, if this form's token already made one (an autosave
    or the first of a double submit), save onto that one instead. The token is also the
    create page's editing session."""
    if not permissions.can_write_story(author):
        raise PermissionDenied
    _guard(content)
    with transaction.atomic():
        story = _locked_by_token(author, token)
        if story is None:
            try:
                with transaction.atomic():
                    story = Story.objects.create(author=author, client_token=token)
            except IntegrityError:  # a concurrent request with the same token won
                story = _locked_by_token(author, token)
                if story is None:
                    raise
            else:
                story = Story.objects.select_for_update().get(pk=story.pk)
        if story.state not in Story.AUTHOR_EDITABLE:
            raise StoryConflict(story)  # e.g. submitted from another tab meanwhile
        return _save_content(story, content, image, version=version, session=token)


def _locked_by_token(author: User, token: uuid.UUID) -> Story | None:
    return Story.objects.select_for_update().filter(author=author, client_token=token).first()


def story_update(
    *,
    story: Story,
    actor: User,
    content: StoryContent,
    version: int,
    session: uuid.UUID | None = None,
    image: ImageChange | None = None,
    autosave: bool = False,
) -> Story:
    """Save edited content. ``session`` identifies the editing page (see the model);
    ``autosave`` is only ever the author's draft or returned story."""
    _guard(content)
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        allowed = (permissions.can_autosave_story if autosave else permissions.can_edit_story)(
            actor, locked
        )
        if not allowed:
            if permissions.can_author_story(actor, locked) or permissions.can_review_stories(actor):
                raise StoryConflict(locked)  # it moved on (e.g. submitted in another tab)
            raise PermissionDenied
        return _save_content(locked, content, image, version=version, session=session)


# --- Workflow -----------------------------------------------------------------------


def _lock(story: Story) -> Story:
    return Story.objects.select_for_update().get(pk=story.pk)


def _check_move(story: Story, to_state: str) -> None:
    if (story.state, to_state) not in Story.TRANSITIONS:
        raise ValidationError(
            _("Tarinaa ei voi siirtää tilasta ”%(from)s” tilaan ”%(to)s”.")
            % {"from": State(story.state).label, "to": State(to_state).label},
            code="invalid_transition",
        )


def _transition(*, story: Story, to_state: str, actor: User | None, comment: str = "") -> None:
    """On a locked row: check the move from its current state and record it."""
    _check_move(story, to_state)
    from_state = story.state
    story.state = to_state
    StoryTransition.objects.create(
        story=story, from_state=from_state, to_state=to_state, actor=actor, comment=comment
    )


def _require_reviewer(actor: User) -> None:
    if not permissions.can_review_stories(actor):
        raise PermissionDenied


def story_submit(*, story: Story, actor: User) -> Story:
    """The author sends the story for a manager to publish. Submitting twice is a no-op."""
    with transaction.atomic():
        locked = _lock(story)
        if not permissions.can_author_story(actor, locked):
            raise PermissionDenied
        if locked.state == State.SUBMITTED:
            return locked
        missing = {
            name: _("Täytä tämä ennen lähettämistä.")
            for name in ("title", "lead", "body", "unit")
            if not getattr(locked, name).strip()
        }
        if not locked.themes.exists():
            missing["themes"] = _("Valitse vähintään yksi teema.")
        _check_move(locked, State.SUBMITTED)
        if missing:
            raise ValidationError(missing)
        _transition(story=locked, to_state=State.SUBMITTED, actor=actor)
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["state", "submitted_at", "updated_at"])
        return locked


def story_publish(*, story: Story, actor: User, comment: str = "") -> Story:
    """A manager publishes now (a submitted or a scheduled story). Twice is a no-op."""
    ensure_no_personal_data({"comment": comment})
    with transaction.atomic():
        locked = _lock(story)
        _require_reviewer(actor)
        if locked.state == State.PUBLISHED:
            return locked
        _transition(story=locked, to_state=State.PUBLISHED, actor=actor, comment=comment)
        return _published(locked, actor=actor)


def _published(story: Story, *, actor: User | None) -> Story:
    story.published_at = timezone.now()
    story.publish_at = None
    story.save(update_fields=["state", "published_at", "publish_at", "updated_at"])
    index_object(story)
    if story.author is not None:
        notify(
            recipients=[story.author],
            verb="story_published",
            actor=actor,
            text=_("Tarinasi ”%(title)s” on julkaistu.") % {"title": _short(story.title)},
            url=story.get_absolute_url(),
            dedupe_key=f"story_published:{story.pk}",
        )
    return story


def story_schedule(
    *, story: Story, actor: User, publish_at: datetime.datetime, comment: str = ""
) -> Story:
    """A manager approves the story to be published at ``publish_at`` (in the future)."""
    ensure_no_personal_data({"comment": comment})
    if publish_at <= timezone.now():
        raise ValidationError({"publish_at": _("Valitse tuleva ajankohta.")})
    with transaction.atomic():
        locked = _lock(story)
        _require_reviewer(actor)
        if locked.state == State.SCHEDULED and locked.publish_at == publish_at:
            return locked
        when = timezone.localtime(publish_at).strftime("%d.%m.%Y %H.%M")
        _transition(
            story=locked,
            to_state=State.SCHEDULED,
            actor=actor,
            comment=comment or _("Ajastettu julkaistavaksi %(when)s") % {"when": when},
        )
        locked.publish_at = publish_at
        locked.scheduled_by = actor
        locked.save(update_fields=["state", "publish_at", "scheduled_by", "updated_at"])
        return locked


def story_return(*, story: Story, actor: User, comment: str) -> Story:
    """A manager sends the story back to its author, saying what to change."""
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Kerro kirjoittajalle, mitä pitää muuttaa.")})
    ensure_no_personal_data({"comment": comment})
    with transaction.atomic():
        locked = _lock(story)
        _require_reviewer(actor)
        if locked.state == State.RETURNED:
            return locked
        _transition(story=locked, to_state=State.RETURNED, actor=actor, comment=comment)
        locked.publish_at = None
        locked.scheduled_by = None
        locked.save(update_fields=["state", "publish_at", "scheduled_by", "updated_at"])
        if locked.author is not None:
            notify(
                recipients=[locked.author],
                verb="story_returned",
                actor=actor,
                text=_("Tarinasi ”%(title)s” palautettiin: %(comment)s")
                % {"title": _short(locked.title), "comment": comment},
                url=locked.get_absolute_url(),
            )
        return locked


def story_archive(*, story: Story, actor: User, comment: str = "") -> Story:
    """A manager takes a published story off the front page and the lists."""
    ensure_no_personal_data({"comment": comment})
    with transaction.atomic():
        locked = _lock(story)
        _require_reviewer(actor)
        if locked.state == State.ARCHIVED:
            return locked
        _transition(story=locked, to_state=State.ARCHIVED, actor=actor, comment=comment)
        locked.save(update_fields=["state", "updated_at"])
        remove_object(locked)
        return locked


def story_publish_scheduled(*, story_id: int, now: datetime.datetime) -> bool:
    """Publish one scheduled story if its time has come. Idempotent: a second run, a
    story published or returned meanwhile, or one rescheduled later, is left alone."""
    with transaction.atomic():
        locked = (
            Story.objects.select_for_update(skip_locked=True)
            .filter(pk=story_id, state=State.SCHEDULED, publish_at__lte=now)
            .first()
        )
        if locked is None:
            return False
        _transition(
            story=locked, to_state=State.PUBLISHED, actor=None, comment=_("Ajastettu julkaisu")
        )
        _published(locked, actor=locked.scheduled_by)
        return True


def stories_publish_due(*, now: datetime.datetime) -> int:
    """Publish every scheduled story due at ``now``, each in its own transaction."""
    return sum(
        story_publish_scheduled(story_id=pk, now=now) for pk in selectors.due_story_ids(now=now)
    )


# --- Colleagues ---------------------------------------------------------------------


def story_thank(*, story: Story, user: User) -> bool:
    """Say "kiitos" once. Returns whether this call added it (False: already thanked)."""
    if not permissions.can_thank_story(user, story):
        raise PermissionDenied
    with transaction.atomic():
        _thanks, created = StoryThanks.objects.get_or_create(story=story, user=user)
    return created


def comment_post(*, story: Story, author: User, body: str) -> StoryComment:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Kirjoita kommentti.")})
    ensure_no_personal_data({"body": body})
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        if not permissions.can_comment_story(author, locked):
            raise PermissionDenied
        comment = StoryComment(story=locked, author=author, body=body)
        comment.full_clean()
        comment.save()
        if locked.author is not None:
            notify(
                recipients=[locked.author],
                verb="story_comment",
                actor=author,
                text=_("%(who)s kommentoi tarinaasi ”%(title)s”: %(body)s")
                % {"who": author, "title": _short(locked.title), "body": _short(body)},
                url=locked.get_absolute_url() + f"#kommentti-{comment.pk}",
            )
        return comment


def _short(text: str) -> str:
    return Truncator(text).chars(80)
