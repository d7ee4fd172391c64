from __future__ import annotations

import datetime
import io
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from apps.stories.models import Story, StoryComment, StoryThanks, StoryTransition

from .factories import EXPERIENCE, QUEUES, SAVINGS, story, theme

pytestmark = pytest.mark.django_db

State = Story.State
HETU = "131052-308T"
HTMX = {"HX-Request": "true"}


def form_data(**overrides) -> dict[str, object]:
    data: dict[str, object] = {
        "token": str(uuid.uuid4()),
        "version": "0",
        "title": "Jono lyheni Haminassa",
        "lead": "Ajanvaraus nopeutui.",
        "body": "Otimme käyttöön **yhteisen** ajanvarauksen.",
        "unit": "Haminan sosiaaliohjaus",
        "themes": [str(theme(QUEUES).pk)],
        "waiting_days_before": "21",
        "waiting_days_after": "5",
        "partners_count": "3",
        "savings_eur": "1200",
        "image_alt": "",
        "action": "save",
    }
    data.update(overrides)
    return data


def jpeg(name: str = "kuva.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), "orange").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


# --- Nobody but a publisher moves a story, by any URL or form ----------------------------


MANAGER_ACTIONS = {
    "publish": {},
    "schedule": {"publish_at": "2099-01-01T09:00"},
    "return": {"comment": "Ei kelpaa"},
    "archive": {},
}


class TestAdvisorCannotPublish:
    @pytest.mark.parametrize("state", [State.SUBMITTED, State.SCHEDULED, State.PUBLISHED])
    @pytest.mark.parametrize("action", sorted(MANAGER_ACTIONS))
    def test_manager_action_by_the_author_is_forbidden(self, client, advisor, state, action):
        own = story(author=advisor, state=state)
        client.force_login(advisor)

        response = client.post(reverse(f"stories:{action}", args=[own.pk]), MANAGER_ACTIONS[action])

        assert response.status_code == 403
        own.refresh_from_db()
        assert own.state == state
        assert not StoryTransition.objects.exists()

    @pytest.mark.parametrize("action", sorted(MANAGER_ACTIONS))
    def test_manager_action_by_a_colleague_or_editor_is_forbidden(
        self, client, advisor, colleague, editor, action
    ):
        submitted = story(author=advisor, state=State.SUBMITTED)
        for user in (colleague, editor):
            client.force_login(user)
            response = client.post(
                reverse(f"stories:{action}", args=[submitted.pk]),
                MANAGER_ACTIONS[action],
                headers=HTMX,
            )
            assert response.status_code == 403
        submitted.refresh_from_db()
        assert submitted.state == State.SUBMITTED

    def test_edit_form_cannot_publish(self, client, advisor):
        """The author's own form, with every field a publisher could want, moves nothing."""
        own = story(author=advisor)
        client.force_login(advisor)

        response = client.post(
            reverse("stories:edit", args=[own.pk]),
            form_data(
                version="1",
                action="publish",
                state="published",
                published_at="2020-01-01",
                publish_at="2020-01-01T00:00",
            ),
        )

        assert response.status_code == 302
        own.refresh_from_db()
        assert own.state == State.DRAFT
        assert own.published_at is None and own.publish_at is None

    def test_author_cannot_edit_a_submitted_story(self, client, advisor):
        submitted = story(author=advisor, state=State.SUBMITTED)
        client.force_login(advisor)

        assert client.get(reverse("stories:edit", args=[submitted.pk])).status_code == 403
        response = client.post(
            reverse("stories:edit", args=[submitted.pk]), form_data(version="1", title="Muutettu")
        )
        assert response.status_code == 403
        submitted.refresh_from_db()
        assert submitted.title != "Muutettu"

    @pytest.mark.parametrize("name", ["stories:review", "stories:report"])
    def test_manager_pages_are_forbidden_to_advisors(self, client, advisor, name):
        client.force_login(advisor)

        assert client.get(reverse(name)).status_code == 403

    def test_admin_cannot_change_stories(self, client, advisor, superuser):
        submitted = story(author=advisor, state=State.SUBMITTED)
        client.force_login(advisor)
        url = reverse("admin:stories_story_change", args=[submitted.pk])
        assert client.get(url).status_code == 302  # not staff: to the admin login

        client.force_login(superuser)
        client.post(url, {"state": "published", "title": "x"})
        submitted.refresh_from_db()
        assert submitted.state == State.SUBMITTED

    @pytest.mark.parametrize("action", sorted(MANAGER_ACTIONS))
    def test_manager_action_by_a_get_request_is_not_allowed(self, client, manager, advisor, action):
        submitted = story(author=advisor, state=State.SUBMITTED)
        client.force_login(manager)

        assert client.get(reverse(f"stories:{action}", args=[submitted.pk])).status_code == 405


class TestManagerActions:
    def test_story_publish_publishes_and_redirects(self, client, manager, advisor):
        submitted = story(author=advisor, state=State.SUBMITTED)
        client.force_login(manager)

        response = client.post(
            reverse("stories:publish", args=[submitted.pk]), {"publish-comment": "Julkaistaan!"}
        )

        assert response.status_code == 302
        submitted.refresh_from_db()
        assert submitted.state == State.PUBLISHED
        assert StoryTransition.objects.get().comment == "Julkaistaan!"

    def test_story_publish_of_a_stale_page_says_why(self, client, manager, advisor):
        archived = story(author=advisor, state=State.ARCHIVED)
        client.force_login(manager)

        response = client.post(reverse("stories:publish", args=[archived.pk]), follow=True)

        assert "ei voi siirtää" in response.content.decode()
        archived.refresh_from_db()
        assert archived.state == State.ARCHIVED

    def test_story_schedule_sets_the_local_time(self, client, manager, advisor):
        submitted = story(author=advisor, state=State.SUBMITTED)
        client.force_login(manager)

        client.post(
            reverse("stories:schedule", args=[submitted.pk]), {"publish_at": "2099-05-04T09:30"}
        )

        submitted.refresh_from_db()
        assert submitted.state == State.SCHEDULED
        local = timezone.localtime(submitted.publish_at)
        assert (local.date(), local.hour, local.minute) == (datetime.date(2099, 5, 4), 9, 30)

    def test_story_schedule_in_the_past_shows_the_error(self, client, manager, advisor):
        submitted = story(author=advisor, state=State.SUBMITTED)
        client.force_login(manager)

        response = client.post(
            reverse("stories:schedule", args=[submitted.pk]), {"publish_at": "2001-01-01T09:00"}
        )

        assert response.status_code == 422
        assert "Valitse tuleva ajankohta." in response.content.decode()

    def test_story_return_without_comment_shows_the_error(self, client, manager, advisor):
        submitted = story(author=advisor, state=State.SUBMITTED)
        client.force_login(manager)

        response = client.post(reverse("stories:return", args=[submitted.pk]), {"comment": ""})

        assert response.status_code == 422
        submitted.refresh_from_db()
        assert submitted.state == State.SUBMITTED

    def test_story_return_with_personal_data_names_the_field(self, client, manager, advisor):
        submitted = story(author=advisor, state=State.SUBMITTED)
        client.force_login(manager)

        response = client.post(
            reverse("stories:return", args=[submitted.pk]), {"comment": f"Poista {HETU}"}
        )

        assert response.status_code == 422
        assert "henkilötunnuksen" in response.content.decode()

    def test_review_queue_lists_submitted_stories(self, client, manager, advisor):
        submitted = story(author=advisor, state=State.SUBMITTED, title="Odottaa julkaisua")
        story(author=advisor, title="Keskeneräinen luonnos")
        client.force_login(manager)

        body = client.get(reverse("stories:review")).content.decode()

        assert submitted.title in body
        assert "Keskeneräinen luonnos" not in body


# --- Writing -----------------------------------------------------------------------------


class TestStoryCreate:
    def test_create_page_carries_a_fresh_token_and_autosave(self, client, advisor):
        client.force_login(advisor)

        body = client.get(reverse("stories:create")).content.decode()

        assert re.search(r'name="token" value="[0-9a-f-]{36}"', body)
        assert 'hx-post="/tarinat/uusi/automaattitallennus/"' in body
        assert "input changed delay:2s" in body

    def test_create_saves_a_draft_and_redirects_to_it(self, client, advisor):
        client.force_login(advisor)

        response = client.post(reverse("stories:create"), form_data())

        created = Story.objects.get()
        assert response.status_code == 302
        assert response.url == created.get_absolute_url()
        assert created.state == State.DRAFT
        assert (created.waiting_days_before, created.savings_eur) == (21, 1200)

    def test_create_posted_twice_makes_one_story(self, client, advisor):
        client.force_login(advisor)
        data = form_data()

        first = client.post(reverse("stories:create"), data)
        second = client.post(reverse("stories:create"), data)

        assert Story.objects.count() == 1
        assert first.url == second.url == Story.objects.get().get_absolute_url()

    def test_create_and_submit_in_one_go(self, client, advisor):
        client.force_login(advisor)

        client.post(reverse("stories:create"), form_data(action="submit"))

        assert Story.objects.get().state == State.SUBMITTED

    def test_create_and_submit_incomplete_keeps_the_draft_and_says_what_is_missing(
        self, client, advisor
    ):
        client.force_login(advisor)

        response = client.post(
            reverse("stories:create"), form_data(action="submit", lead="", themes=[]), follow=True
        )

        created = Story.objects.get()
        assert created.state == State.DRAFT
        body = response.content.decode()
        assert "Ingressi" in body and "Teemat" in body

    def test_create_with_personal_data_names_the_fields_and_saves_nothing(self, client, advisor):
        client.force_login(advisor)

        response = client.post(
            reverse("stories:create"), form_data(unit=f"Tiimi {HETU}", image_alt=HETU)
        )

        assert response.status_code == 422
        assert Story.objects.count() == 0
        form = response.context["form"]
        assert set(form.errors) == {"unit", "image_alt"}

    def test_create_with_an_image_stores_it_and_serves_it_only_to_the_author(
        self, client, advisor, colleague
    ):
        client.force_login(advisor)

        client.post(
            reverse("stories:create"), form_data(image=jpeg(), image_alt="Tiimi taukotuvassa")
        )

        created = Story.objects.get()
        assert created.image_alt == "Tiimi taukotuvassa"
        response = client.get(reverse("stories:image", args=[created.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert "private" in response["Cache-Control"]
        client.force_login(colleague)
        assert client.get(reverse("stories:image", args=[created.pk])).status_code == 404

    def test_create_with_an_image_but_no_alt_text_is_refused(self, client, advisor):
        client.force_login(advisor)

        response = client.post(reverse("stories:create"), form_data(image=jpeg()))

        assert response.status_code == 422
        assert "image_alt" in response.context["form"].errors
        assert Story.objects.count() == 0

    def test_create_with_a_fake_image_is_refused(self, client, advisor):
        client.force_login(advisor)
        fake = SimpleUploadedFile("kuva.jpg", b"%PDF-1.4 not an image", "image/jpeg")

        response = client.post(reverse("stories:create"), form_data(image=fake, image_alt="Kuva"))

        assert response.status_code == 422
        assert "image" in response.context["form"].errors
        assert Story.objects.count() == 0

    @pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
    def test_create_with_too_many_pixels_says_so_and_stores_nothing(
        self, client, advisor, media_root
    ):
        client.force_login(advisor)
        buffer = io.BytesIO()
        Image.new("RGB", (5000, 5001), "white").save(buffer, format="PNG", optimize=True)
        assert len(buffer.getvalue()) < 100_000  # a small file, a 25 MP canvas
        bomb = SimpleUploadedFile("kuva.png", buffer.getvalue(), "image/png")

        response = client.post(reverse("stories:create"), form_data(image=bomb, image_alt="Kuva"))

        assert response.status_code == 422
        [message] = response.context["form"].errors["image"]
        assert message.startswith("Kuva on liian suuri (pikseleitä 25")
        assert "enintään 25" in message
        assert Story.objects.count() == 0
        assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


class TestAutosave:
    def test_autosave_new_creates_the_draft_and_answers_with_the_time(self, client, advisor):
        client.force_login(advisor)
        data = form_data(title="Puoliksi kirjoitettu", lead="", body="")

        response = client.post(reverse("stories:autosave_new"), data, headers=HTMX)

        body = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in body
        assert re.search(r"Tallennettu klo \d{1,2}\.\d{2}", body)  # Finnish TIME_FORMAT: 7.05
        assert 'id="id_version"' in body and 'value="1"' in body and "hx-swap-oob" in body
        assert Story.objects.get().title == "Puoliksi kirjoitettu"

    def test_autosave_new_then_save_updates_the_same_story(self, client, advisor):
        client.force_login(advisor)
        data = form_data(title="Alku")
        client.post(reverse("stories:autosave_new"), data, headers=HTMX)

        client.post(reverse("stories:create"), {**data, "title": "Valmis", "version": "1"})

        assert list(Story.objects.values_list("title", flat=True)) == ["Valmis"]

    def test_autosave_new_with_nothing_typed_saves_nothing(self, client, advisor):
        client.force_login(advisor)
        data = form_data(title="", lead="", body="", unit="", themes=[])

        response = client.post(reverse("stories:autosave_new"), data, headers=HTMX)

        assert response.status_code == 200
        assert Story.objects.count() == 0

    def test_autosave_saves_a_draft(self, client, advisor):
        draft = story(author=advisor)
        client.force_login(advisor)

        response = client.post(
            reverse("stories:autosave", args=[draft.pk]),
            form_data(version="1", session=str(uuid.uuid4()), title="Autotallennettu"),
            headers=HTMX,
        )

        assert response.status_code == 200
        draft.refresh_from_db()
        assert (draft.title, draft.version) == ("Autotallennettu", 2)

    def test_autosave_from_a_stale_tab_is_a_conflict_and_overwrites_nothing(self, client, advisor):
        draft = story(author=advisor)
        client.force_login(advisor)
        url = reverse("stories:autosave", args=[draft.pk])
        client.post(
            url,
            form_data(version="1", session=str(uuid.uuid4()), title="Uusi välilehti"),
            headers=HTMX,
        )

        response = client.post(
            url,
            form_data(version="1", session=str(uuid.uuid4()), title="Vanha välilehti"),
            headers=HTMX,
        )

        assert response.status_code == 409
        assert "toisessa ikkunassa" in response.content.decode()
        draft.refresh_from_db()
        assert draft.title == "Uusi välilehti"

    def test_autosave_with_personal_data_is_refused_and_names_the_field(self, client, advisor):
        draft = story(author=advisor)
        client.force_login(advisor)

        response = client.post(
            reverse("stories:autosave", args=[draft.pk]),
            form_data(version="1", body=f"Asiakas {HETU}"),
            headers=HTMX,
        )

        assert response.status_code == 422
        body = response.content.decode()
        assert "Ei tallennettu" in body and "Tarina" in body
        draft.refresh_from_db()
        assert HETU not in draft.body

    def test_autosave_of_a_submitted_story_is_a_conflict(self, client, advisor):
        submitted = story(author=advisor, state=State.SUBMITTED)
        client.force_login(advisor)

        response = client.post(
            reverse("stories:autosave", args=[submitted.pk]),
            form_data(version="1", title="Myöhässä"),
            headers=HTMX,
        )

        assert response.status_code == 409
        submitted.refresh_from_db()
        assert submitted.title != "Myöhässä"

    def test_autosave_of_someone_elses_draft_is_not_found(self, client, advisor, colleague):
        draft = story(author=advisor)
        client.force_login(colleague)

        response = client.post(
            reverse("stories:autosave", args=[draft.pk]),
            form_data(version="1", title="Kaapattu"),
            headers=HTMX,
        )

        assert response.status_code == 404
        draft.refresh_from_db()
        assert draft.title != "Kaapattu"


class TestStoryEdit:
    def test_edit_page_shows_the_return_comment(self, client, advisor, manager):
        returned = story(author=advisor, state=State.SUBMITTED)
        client.force_login(manager)
        client.post(reverse("stories:return", args=[returned.pk]), {"comment": "Lisää luvut"})
        client.force_login(advisor)

        body = client.get(reverse("stories:edit", args=[returned.pk])).content.decode()

        assert "Lisää luvut" in body

    def test_edit_with_a_stale_version_from_another_tab_keeps_the_typed_text(self, client, advisor):
        draft = story(author=advisor, version=3)
        client.force_login(advisor)

        response = client.post(
            reverse("stories:edit", args=[draft.pk]),
            form_data(version="2", session=str(uuid.uuid4()), title="Kirjoitin tämän"),
        )

        assert response.status_code == 409
        assert 'value="Kirjoitin tämän"' in response.content.decode()
        draft.refresh_from_db()
        assert draft.title != "Kirjoitin tämän"

    def test_edit_can_remove_the_image(self, client, advisor):
        client.force_login(advisor)
        client.post(reverse("stories:create"), form_data(image=jpeg(), image_alt="Kuva"))
        created = Story.objects.get()

        client.post(
            reverse("stories:edit", args=[created.pk]),
            form_data(version=str(created.version), image_alt="Kuva", remove_image="on"),
        )

        created.refresh_from_db()
        assert not created.image

    def test_manager_edits_a_submitted_story_without_autosave(self, client, advisor, manager):
        submitted = story(author=advisor, state=State.SUBMITTED)
        client.force_login(manager)

        body = client.get(reverse("stories:edit", args=[submitted.pk])).content.decode()
        assert "data-autosave" not in body
        client.post(
            reverse("stories:edit", args=[submitted.pk]), form_data(version="1", title="Oikoluettu")
        )

        submitted.refresh_from_db()
        assert (submitted.title, submitted.state) == ("Oikoluettu", State.SUBMITTED)


# --- Reading -----------------------------------------------------------------------------


class TestReading:
    def test_story_list_filters_by_theme_unit_and_year(self, client, advisor):
        story(
            author=advisor,
            state=State.PUBLISHED,
            title="Säästötarina",
            themes=(SAVINGS,),
            unit="Kotka",
        )
        story(
            author=advisor,
            state=State.PUBLISHED,
            title="Jonotarina",
            themes=(QUEUES,),
            unit="Hamina",
        )
        story(
            author=advisor,
            state=State.PUBLISHED,
            title="Vanha tarina",
            themes=(EXPERIENCE,),
            unit="Kotka",
            published_at=timezone.now() - datetime.timedelta(days=800),
        )
        client.force_login(advisor)
        url = reverse("stories:list")

        def titles(**params) -> set[str]:
            response = client.get(url, params, headers=HTMX)
            assert "<html" not in response.content.decode()
            return {s.title for s in response.context["page"].object_list}

        assert titles() == {"Säästötarina", "Jonotarina", "Vanha tarina"}
        assert titles(theme=SAVINGS) == {"Säästötarina"}
        assert titles(unit="Kotka") == {"Säästötarina", "Vanha tarina"}
        assert titles(year=timezone.localdate().year) == {"Säästötarina", "Jonotarina"}

    def test_story_page_shows_author_unit_and_markdown(self, client, advisor, colleague):
        published = story(author=advisor, state=State.PUBLISHED, unit="Pyhtään tiimi")
        client.force_login(colleague)

        body = client.get(published.get_absolute_url()).content.decode()

        assert "Advisor" in body and "Pyhtään tiimi" in body
        assert "<strong>yhteisen</strong>" in body
        assert reverse("stories:thank", args=[published.pk]) in body

    def test_drafts_are_hidden_from_colleagues_and_managers(
        self, client, advisor, colleague, manager
    ):
        draft = story(author=advisor)
        for user in (colleague, manager):
            client.force_login(user)
            assert client.get(draft.get_absolute_url()).status_code == 404
        client.force_login(advisor)
        assert client.get(draft.get_absolute_url()).status_code == 200

    def test_submitted_story_is_visible_to_managers_only(self, client, advisor, colleague, manager):
        submitted = story(author=advisor, state=State.SUBMITTED)
        client.force_login(colleague)
        assert client.get(submitted.get_absolute_url()).status_code == 404
        client.force_login(manager)
        body = client.get(submitted.get_absolute_url()).content.decode()
        assert reverse("stories:publish", args=[submitted.pk]) in body

    def test_my_stories_lists_own_stories_in_every_state(self, client, advisor, colleague):
        story(author=advisor, title="Oma luonnos")
        story(author=advisor, state=State.PUBLISHED, title="Oma julkaistu")
        story(author=colleague, title="Kollegan luonnos")
        client.force_login(advisor)

        body = client.get(reverse("stories:mine")).content.decode()

        assert "Oma luonnos" in body and "Oma julkaistu" in body
        assert "Kollegan luonnos" not in body


class TestThanksAndComments:
    def test_thank_with_htmx_returns_the_count_fragment(self, client, advisor, colleague):
        published = story(author=advisor, state=State.PUBLISHED)
        client.force_login(colleague)

        response = client.post(reverse("stories:thank", args=[published.pk]), headers=HTMX)

        body = response.content.decode()
        assert "<html" not in body
        assert "1 kollega on kiittänyt" in body
        assert "Kiitit tästä tarinasta." in body

    def test_thank_twice_counts_once(self, client, advisor, colleague):
        published = story(author=advisor, state=State.PUBLISHED)
        client.force_login(colleague)
        url = reverse("stories:thank", args=[published.pk])

        client.post(url)
        response = client.post(url)

        assert response.status_code == 302
        assert StoryThanks.objects.count() == 1

    def test_thank_own_story_is_forbidden(self, client, advisor):
        published = story(author=advisor, state=State.PUBLISHED)
        client.force_login(advisor)

        response = client.post(reverse("stories:thank", args=[published.pk]))

        assert response.status_code == 403

    def test_comment_with_htmx_returns_the_comments_fragment(self, client, advisor, colleague):
        published = story(author=advisor, state=State.PUBLISHED)
        client.force_login(colleague)

        response = client.post(
            reverse("stories:comment", args=[published.pk]), {"body": "Hienoa työtä!"}, headers=HTMX
        )

        body = response.content.decode()
        assert "<html" not in body
        assert 'id="comments"' in body and "Hienoa työtä!" in body

    def test_comment_without_htmx_redirects(self, client, advisor, colleague):
        published = story(author=advisor, state=State.PUBLISHED)
        client.force_login(colleague)

        response = client.post(reverse("stories:comment", args=[published.pk]), {"body": "Hienoa!"})

        assert response.status_code == 302
        assert StoryComment.objects.count() == 1

    def test_comment_with_personal_data_shows_the_error(self, client, advisor, colleague):
        published = story(author=advisor, state=State.PUBLISHED)
        client.force_login(colleague)

        response = client.post(
            reverse("stories:comment", args=[published.pk]),
            {"body": f"Asiakas {HETU}"},
            headers=HTMX,
        )

        assert "henkilötunnuksen" in response.content.decode()
        assert StoryComment.objects.count() == 0


class TestPeriodReport:
    def test_period_report_sums_the_impact_figures(self, client, advisor, manager):
        story(
            author=advisor,
            state=State.PUBLISHED,
            title="Ensimmäinen",
            savings_eur=1000,
            partners_count=2,
            waiting_days_before=30,
            waiting_days_after=10,
        )
        story(
            author=advisor, state=State.PUBLISHED, title="Toinen", savings_eur=500, partners_count=3
        )
        story(
            author=advisor,
            state=State.PUBLISHED,
            title="Liian vanha",
            savings_eur=99999,
            published_at=timezone.now() - datetime.timedelta(days=400),
        )
        story(author=advisor, state=State.SUBMITTED, title="Julkaisematon", savings_eur=7777)
        story(author=advisor, state=State.ARCHIVED, title="Arkistoitu sittemmin", savings_eur=1)
        client.force_login(manager)
        today = timezone.localdate()

        response = client.get(
            reverse("stories:report"),
            {"start": (today - datetime.timedelta(days=30)).isoformat(), "end": today.isoformat()},
        )

        report = response.context["report"]
        assert [s.title for s in report.stories] == [
            "Ensimmäinen",
            "Toinen",
            "Arkistoitu sittemmin",
        ]
        assert (report.savings_eur, report.partners, report.waiting_days_saved) == (1501, 5, 20)
        body = response.content.decode()
        assert "1501 €" in body and "(arkistoitu)" in body
        assert "Liian vanha" not in body and "Julkaisematon" not in body

    def test_period_report_page_has_print_styles(self, client, manager):
        client.force_login(manager)

        response = client.get(reverse("stories:report"))

        assert response.status_code == 200
        assert 'class="no-print"' in response.content.decode()
