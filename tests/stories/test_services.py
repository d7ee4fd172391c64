from __future__ import annotations

import datetime
import io
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from apps.notifications.models import Notification
from apps.search.models import SearchDocument
from apps.search.selectors import search
from apps.stories import services
from apps.stories.images import process_story_image
from apps.stories.models import Story, StoryComment, StoryThanks, StoryTransition
from apps.stories.services import ImageChange, StoryConflict, StoryContent

from .factories import QUEUES, SAVINGS, story, theme, transitions

pytestmark = pytest.mark.django_db

State = Story.State
HETU = "131052-308T"  # a valid personal identity code (the checksum matches)


def content(**overrides) -> StoryContent:
    values = {
        "title": "Jono lyheni Kouvolassa",
        "lead": "Asiakkaat saivat ajan viikossa.",
        "body": "Kolme toimijaa **yhdessä**.",
        "unit": "Kouvolan aikuissosiaalityö",
        "themes": (theme(QUEUES),),
        "waiting_days_before": 30,
        "waiting_days_after": 7,
    }
    values.update(overrides)
    return StoryContent(**values)


def jpeg_change() -> ImageChange:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, format="JPEG")
    upload = SimpleUploadedFile("kuva.jpg", buffer.getvalue(), content_type="image/jpeg")
    return ImageChange(new=process_story_image(upload))


def indexed(story_obj: Story) -> bool:
    return SearchDocument.objects.filter(
        source="stories.story", object_id=str(story_obj.pk)
    ).exists()


# --- Writing --------------------------------------------------------------------------


class TestStoryCreate:
    def test_story_create_saves_a_draft_at_version_one(self, advisor):
        created = services.story_create(author=advisor, token=uuid.uuid4(), content=content())

        created.refresh_from_db()
        assert created.state == State.DRAFT
        assert created.author == advisor
        assert created.version == 1
        assert created.title == "Jono lyheni Kouvolassa"
        assert list(created.themes.values_list("key", flat=True)) == [QUEUES]

    def test_story_create_with_the_same_token_twice_makes_one_story(self, advisor):
        token = uuid.uuid4()

        first = services.story_create(author=advisor, token=token, content=content())
        second = services.story_create(author=advisor, token=token, content=content())

        assert first.pk == second.pk
        assert Story.objects.count() == 1
        assert Story.objects.get().version == 1  # the replay changed nothing

    def test_story_create_token_is_per_author(self, advisor, colleague):
        token = uuid.uuid4()
        services.story_create(author=advisor, token=token, content=content())
        services.story_create(author=colleague, token=token, content=content())

        assert Story.objects.count() == 2

    @pytest.mark.parametrize("field", ["title", "lead", "body", "unit", "image_alt"])
    def test_story_create_refuses_personal_identity_code_in_every_field(self, advisor, field):
        with pytest.raises(ValidationError) as exc:
            services.story_create(
                author=advisor,
                token=uuid.uuid4(),
                content=content(**{field: f"Asiakas {HETU} soitti"}),
            )

        assert field in exc.value.message_dict
        assert Story.objects.count() == 0

    def test_story_create_names_every_offending_field(self, advisor):
        with pytest.raises(ValidationError) as exc:
            services.story_create(
                author=advisor, token=uuid.uuid4(), content=content(title=HETU, body=f"x {HETU}")
            )

        assert set(exc.value.message_dict) == {"title", "body"}

    def test_story_create_with_image_requires_alt_text(self, advisor):
        with pytest.raises(ValidationError) as exc:
            services.story_create(
                author=advisor, token=uuid.uuid4(), content=content(), image=jpeg_change()
            )

        assert "image_alt" in exc.value.message_dict
        assert Story.objects.count() == 0

    def test_story_create_stores_the_reencoded_image(self, advisor, media_root):
        created = services.story_create(
            author=advisor,
            token=uuid.uuid4(),
            content=content(image_alt="Tiimi kahvilla"),
            image=jpeg_change(),
        )

        created.refresh_from_db()
        assert created.image.name.startswith("stories/")
        assert created.image.name.endswith(".jpg")
        assert (created.image_width, created.image_height) == (40, 30)
        assert (media_root / created.image.name).exists()

    def test_story_create_refuses_users_without_the_permission(self, django_user_model):
        nobody = django_user_model.objects.create_user("nobody")

        with pytest.raises(PermissionDenied):
            services.story_create(author=nobody, token=uuid.uuid4(), content=content())


class TestStoryUpdate:
    def test_story_update_saves_and_bumps_the_version(self, advisor):
        draft = story(author=advisor)

        updated = services.story_update(
            story=draft, actor=advisor, version=1, content=content(title="Uusi otsikko")
        )

        draft.refresh_from_db()
        assert updated.version == draft.version == 2
        assert draft.title == "Uusi otsikko"

    def test_story_update_from_another_page_with_a_stale_version_is_refused(self, advisor):
        draft = story(author=advisor)
        services.story_update(
            story=draft,
            actor=advisor,
            version=1,
            session=uuid.uuid4(),
            content=content(title="Toisen välilehden versio"),
        )

        with pytest.raises(StoryConflict):
            services.story_update(
                story=draft,
                actor=advisor,
                version=1,
                session=uuid.uuid4(),
                content=content(title="Vanhentunut automaattitallennus"),
            )

        draft.refresh_from_db()
        assert draft.title == "Toisen välilehden versio"
        assert draft.version == 2

    def test_story_update_from_the_same_page_with_a_stale_version_is_saved(self, advisor):
        """The page's own autosave and submit race; its content is the newest."""
        draft = story(author=advisor)
        page = uuid.uuid4()
        services.story_update(
            story=draft,
            actor=advisor,
            version=1,
            session=page,
            content=content(title="Automaattitallennus"),
        )

        services.story_update(
            story=draft, actor=advisor, version=1, session=page, content=content(title="Lopullinen")
        )

        draft.refresh_from_db()
        assert draft.title == "Lopullinen"
        assert draft.version == 3

    def test_story_update_replaying_the_same_content_is_a_no_op(self, advisor):
        draft = story(author=advisor)
        services.story_update(story=draft, actor=advisor, version=1, content=content())

        again = services.story_update(story=draft, actor=advisor, version=1, content=content())

        assert again.version == 2

    def test_story_update_by_another_advisor_is_denied(self, advisor, colleague):
        draft = story(author=advisor)

        with pytest.raises(PermissionDenied):
            services.story_update(
                story=draft, actor=colleague, version=1, content=content(title="Kaapattu")
            )

        draft.refresh_from_db()
        assert draft.title != "Kaapattu"

    def test_story_update_autosave_of_a_submitted_story_is_a_conflict(self, advisor):
        submitted = story(author=advisor, state=State.SUBMITTED)

        with pytest.raises(StoryConflict):
            services.story_update(
                story=submitted,
                actor=advisor,
                version=1,
                autosave=True,
                content=content(title="Myöhästynyt"),
            )

    def test_story_update_by_manager_of_published_story_reindexes(self, advisor, manager):
        published = services.story_publish(
            story=story(author=advisor, state=State.SUBMITTED), actor=manager
        )

        services.story_update(
            story=published,
            actor=manager,
            version=1,
            content=content(title="Omaishoitajien vertaisryhmä"),
        )

        hits = search(query="vertaisryhmä", doc_types=["story"])
        assert [hit.url for hit in hits.hits] == [published.get_absolute_url()]

    def test_story_update_replacing_the_image_deletes_the_old_file(
        self, advisor, media_root, django_capture_on_commit_callbacks
    ):
        draft = services.story_create(
            author=advisor,
            token=uuid.uuid4(),
            content=content(image_alt="Kuva"),
            image=jpeg_change(),
        )
        old = media_root / draft.image.name

        with django_capture_on_commit_callbacks(execute=True):
            services.story_update(
                story=draft,
                actor=advisor,
                version=draft.version,
                content=content(image_alt="Kuva"),
                image=jpeg_change(),
            )

        draft.refresh_from_db()
        assert not old.exists()
        assert (media_root / draft.image.name).exists()


# --- Workflow -------------------------------------------------------------------------


class TestWorkflow:
    def test_story_submit_records_the_transition(self, advisor):
        draft = story(author=advisor)

        services.story_submit(story=draft, actor=advisor)

        draft.refresh_from_db()
        assert draft.state == State.SUBMITTED
        assert draft.submitted_at is not None
        move = StoryTransition.objects.get(story=draft)
        assert (move.from_state, move.to_state, move.actor) == ("draft", "submitted", advisor)
        assert move.at is not None

    def test_story_submit_twice_is_a_no_op(self, advisor):
        draft = story(author=advisor)
        services.story_submit(story=draft, actor=advisor)
        services.story_submit(story=draft, actor=advisor)

        assert transitions(draft) == [("draft", "submitted")]

    def test_story_submit_requires_the_story_to_be_complete(self, advisor):
        draft = story(author=advisor, lead="", themes=())

        with pytest.raises(ValidationError) as exc:
            services.story_submit(story=draft, actor=advisor)

        assert set(exc.value.message_dict) == {"lead", "themes"}
        draft.refresh_from_db()
        assert draft.state == State.DRAFT

    def test_story_submit_by_someone_else_is_denied(self, advisor, manager):
        draft = story(author=advisor)

        with pytest.raises(PermissionDenied):
            services.story_submit(story=draft, actor=manager)

    def test_story_publish_publishes_notifies_and_indexes(self, advisor, manager):
        submitted = story(
            author=advisor, state=State.SUBMITTED, title="Kuljetuspalvelun jono purettiin"
        )

        services.story_publish(story=submitted, actor=manager, comment="Hieno!")

        submitted.refresh_from_db()
        assert submitted.state == State.PUBLISHED
        assert submitted.published_at is not None
        move = StoryTransition.objects.get(story=submitted)
        assert (move.to_state, move.actor, move.comment) == ("published", manager, "Hieno!")
        note = Notification.objects.get(recipient=advisor)
        assert note.verb == "story_published"
        assert note.url == submitted.get_absolute_url()
        assert note.actor == manager
        assert indexed(submitted)
        hits = search(query="kuljetuspalvelu", doc_types=["story"])
        assert [hit.title for hit in hits.hits] == ["Kuljetuspalvelun jono purettiin"]

    def test_story_publish_by_an_advisor_is_denied(self, advisor, colleague):
        submitted = story(author=advisor, state=State.SUBMITTED)

        for actor in (advisor, colleague):
            with pytest.raises(PermissionDenied):
                services.story_publish(story=submitted, actor=actor)

        submitted.refresh_from_db()
        assert submitted.state == State.SUBMITTED
        assert transitions(submitted) == []
        assert not indexed(submitted)

    def test_story_publish_of_a_draft_is_not_a_valid_transition(self, advisor, manager):
        draft = story(author=advisor)

        with pytest.raises(ValidationError):
            services.story_publish(story=draft, actor=manager)

        draft.refresh_from_db()
        assert draft.state == State.DRAFT

    def test_story_publish_twice_records_one_transition(self, advisor, manager):
        submitted = story(author=advisor, state=State.SUBMITTED)
        services.story_publish(story=submitted, actor=manager)
        services.story_publish(story=submitted, actor=manager)

        assert transitions(submitted) == [("submitted", "published")]
        assert Notification.objects.filter(recipient=advisor).count() == 1

    def test_story_return_records_the_comment_and_notifies(self, advisor, manager):
        submitted = story(author=advisor, state=State.SUBMITTED)

        services.story_return(story=submitted, actor=manager, comment="Lisää luvut, kiitos.")

        submitted.refresh_from_db()
        assert submitted.state == State.RETURNED
        assert submitted.return_comment == "Lisää luvut, kiitos."
        note = Notification.objects.get(recipient=advisor)
        assert note.verb == "story_returned"
        assert "Lisää luvut" in note.text

    def test_story_return_requires_a_comment(self, advisor, manager):
        submitted = story(author=advisor, state=State.SUBMITTED)

        with pytest.raises(ValidationError) as exc:
            services.story_return(story=submitted, actor=manager, comment="  ")

        assert "comment" in exc.value.message_dict

    def test_story_return_comment_is_privacy_guarded(self, advisor, manager):
        submitted = story(author=advisor, state=State.SUBMITTED)

        with pytest.raises(ValidationError) as exc:
            services.story_return(story=submitted, actor=manager, comment=f"Poista {HETU}")

        assert "comment" in exc.value.message_dict
        submitted.refresh_from_db()
        assert submitted.state == State.SUBMITTED

    def test_returned_story_can_be_edited_and_resubmitted(self, advisor, manager):
        submitted = story(author=advisor, state=State.SUBMITTED)
        services.story_return(story=submitted, actor=manager, comment="Lisää yksikkö.")

        services.story_update(
            story=submitted,
            actor=advisor,
            version=1,
            content=content(unit="Haminan aikuissosiaalityö"),
        )
        services.story_submit(story=submitted, actor=advisor)

        assert transitions(submitted) == [("submitted", "returned"), ("returned", "submitted")]

    def test_story_schedule_sets_the_time(self, advisor, manager):
        submitted = story(author=advisor, state=State.SUBMITTED)
        when = timezone.now() + datetime.timedelta(days=2)

        services.story_schedule(story=submitted, actor=manager, publish_at=when)

        submitted.refresh_from_db()
        assert submitted.state == State.SCHEDULED
        assert submitted.publish_at == when
        assert submitted.scheduled_by == manager
        assert not indexed(submitted)

    def test_story_schedule_refuses_a_past_time(self, advisor, manager):
        submitted = story(author=advisor, state=State.SUBMITTED)

        with pytest.raises(ValidationError):
            services.story_schedule(
                story=submitted,
                actor=manager,
                publish_at=timezone.now() - datetime.timedelta(minutes=1),
            )

    def test_story_schedule_by_an_advisor_is_denied(self, advisor):
        submitted = story(author=advisor, state=State.SUBMITTED)

        with pytest.raises(PermissionDenied):
            services.story_schedule(
                story=submitted,
                actor=advisor,
                publish_at=timezone.now() + datetime.timedelta(days=1),
            )

    def test_story_archive_takes_it_out_of_the_index(self, advisor, manager):
        published = services.story_publish(
            story=story(author=advisor, state=State.SUBMITTED), actor=manager
        )
        assert indexed(published)

        services.story_archive(story=published, actor=manager, comment="Vanhentunut")

        published.refresh_from_db()
        assert published.state == State.ARCHIVED
        assert not indexed(published)

    def test_story_archive_of_a_submitted_story_is_not_allowed(self, advisor, manager):
        submitted = story(author=advisor, state=State.SUBMITTED)

        with pytest.raises(ValidationError):
            services.story_archive(story=submitted, actor=manager)

    def test_story_archive_by_an_advisor_is_denied(self, advisor, manager):
        published = story(author=advisor, state=State.PUBLISHED)

        with pytest.raises(PermissionDenied):
            services.story_archive(story=published, actor=advisor)

        published.refresh_from_db()
        assert published.state == State.PUBLISHED


class TestScheduledPublishing:
    def test_stories_publish_due_publishes_only_due_stories(self, advisor, manager):
        now = timezone.now()
        due = story(
            author=advisor,
            state=State.SCHEDULED,
            scheduled_by=manager,
            publish_at=now - datetime.timedelta(minutes=1),
        )
        later = story(
            author=advisor, state=State.SCHEDULED, publish_at=now + datetime.timedelta(hours=1)
        )

        assert services.stories_publish_due(now=now) == 1

        due.refresh_from_db()
        later.refresh_from_db()
        assert due.state == State.PUBLISHED
        assert later.state == State.SCHEDULED
        move = StoryTransition.objects.get(story=due)
        assert (move.from_state, move.to_state, move.actor) == ("scheduled", "published", None)
        assert Notification.objects.get(recipient=advisor).actor == manager
        assert indexed(due)

    def test_stories_publish_due_twice_publishes_once(self, advisor):
        now = timezone.now()
        story(author=advisor, state=State.SCHEDULED, publish_at=now - datetime.timedelta(minutes=1))

        assert services.stories_publish_due(now=now) == 1
        assert services.stories_publish_due(now=now) == 0
        assert StoryTransition.objects.count() == 1

    def test_story_publish_scheduled_leaves_a_returned_story_alone(self, advisor, manager):
        scheduled = story(author=advisor, state=State.SCHEDULED)
        services.story_return(story=scheduled, actor=manager, comment="Odotetaan vielä.")

        published = services.story_publish_scheduled(
            story_id=scheduled.pk, now=timezone.now() + datetime.timedelta(days=1)
        )

        assert published is False
        scheduled.refresh_from_db()
        assert scheduled.state == State.RETURNED


# --- Colleagues -----------------------------------------------------------------------


class TestThanksAndComments:
    def test_story_thank_counts_once_per_person(self, advisor, colleague, manager):
        published = story(author=advisor, state=State.PUBLISHED)

        assert services.story_thank(story=published, user=colleague) is True
        assert services.story_thank(story=published, user=colleague) is False
        assert services.story_thank(story=published, user=manager) is True

        assert StoryThanks.objects.filter(story=published).count() == 2

    def test_story_thank_by_the_author_is_denied(self, advisor):
        published = story(author=advisor, state=State.PUBLISHED)

        with pytest.raises(PermissionDenied):
            services.story_thank(story=published, user=advisor)

    def test_story_thank_of_a_draft_is_denied(self, advisor, colleague):
        with pytest.raises(PermissionDenied):
            services.story_thank(story=story(author=advisor), user=colleague)

    def test_comment_post_saves_and_notifies_the_author(self, advisor, colleague):
        published = story(author=advisor, state=State.PUBLISHED)

        comment = services.comment_post(
            story=published, author=colleague, body="Tästä otetaan mallia!"
        )

        assert comment.story == published
        note = Notification.objects.get(recipient=advisor)
        assert note.verb == "story_comment"
        assert note.url.endswith(f"#kommentti-{comment.pk}")

    def test_comment_post_refuses_personal_identity_code(self, advisor, colleague):
        published = story(author=advisor, state=State.PUBLISHED)

        with pytest.raises(ValidationError) as exc:
            services.comment_post(story=published, author=colleague, body=f"Asiakas {HETU}")

        assert "body" in exc.value.message_dict
        assert StoryComment.objects.count() == 0
        assert Notification.objects.count() == 0

    def test_comment_post_on_an_unpublished_story_is_denied(self, advisor, colleague):
        with pytest.raises(PermissionDenied):
            services.comment_post(
                story=story(author=advisor, state=State.SUBMITTED), author=colleague, body="Hei"
            )

    def test_author_commenting_own_story_gets_no_notification(self, advisor):
        published = story(author=advisor, state=State.PUBLISHED, themes=(SAVINGS,))

        services.comment_post(story=published, author=advisor, body="Kiitos kaikille!")

        assert Notification.objects.count() == 0
