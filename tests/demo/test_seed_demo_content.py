from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.consultations.models import (
    Answer,
    AnswerRevision,
    Callback,
    FaqItem,
    Follow,
    Thread,
    ThreadRevision,
)
from apps.contacts import selectors as contact_selectors
from apps.contacts.models import ContactRecord
from apps.core import privacy
from apps.demo import content as demo
from apps.desk.selectors import STORY_LIMIT
from apps.notifications.models import Notification
from apps.reports.models import Kind, Report
from apps.reports.periods import months_before
from apps.search.models import SearchLog
from apps.stories.models import Story, StoryComment, StoryThanks, StoryTransition

pytestmark = pytest.mark.django_db

PUBLISHED = [s.title for s in demo.STORIES if s.state == "published"]
UNPUBLISHED = [s.title for s in demo.STORIES if s.state != "published"]
OPEN_QUESTIONS = [q.title for q in demo.QUESTIONS if q.solution is None]
SOLVED_QUESTIONS = [q.title for q in demo.QUESTIONS if q.solution is not None]
MODELS = [
    get_user_model(),
    Thread,
    ThreadRevision,
    Follow,
    Answer,
    AnswerRevision,
    FaqItem,
    Callback,
    Story,
    StoryTransition,
    StoryThanks,
    StoryComment,
    ContactRecord,
    SearchLog,
    Report,
    Notification,
]


def _seed_content() -> str:
    out = StringIO()
    call_command("seed_demo_content", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    """`make run`'s steps, once for the class (seeding takes seconds); each test runs in
    a savepoint inside this transaction, which is rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "import_catalogue",
            str(settings.BASE_DIR / "demo" / "catalogue.json"),
            stdout=StringIO(),
        )
        call_command("seed_demo", stdout=StringIO())
        yield _seed_content()
        transaction.set_rollback(True)


def _login(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


class TestSeeded:
    def test_seed_demo_content_front_page_lists_published_stories(self, seeded, client):
        page = _login(client, "neuvoja").get(reverse("home")).content.decode()
        # The desk shows the newest few (STORY_LIMIT); the stories page lists the rest.
        newest_first = list(
            Story.objects.filter(title__in=PUBLISHED)
            .order_by("-published_at")
            .values_list("title", flat=True)
        )
        assert len(newest_first) == len(PUBLISHED) > STORY_LIMIT

        for title in newest_first[:STORY_LIMIT]:
            assert title in page
        for title in newest_first[STORY_LIMIT:]:
            assert title not in page
        for title in UNPUBLISHED:
            assert title not in page

    def test_seed_demo_content_board_lists_threads(self, seeded, client):
        _login(client, "neuvoja")

        open_board = client.get(reverse("consultations:board")).content.decode()
        solved_board = client.get(reverse("consultations:board"), {"status": "solved"})

        for title in OPEN_QUESTIONS:
            assert title in open_board
        for title in SOLVED_QUESTIONS:
            assert title in solved_board.content.decode()
        waiting = Thread.objects.get(urgency="waiting")
        assert waiting.status == Thread.Status.OPEN and not waiting.answers.exists()
        assert Thread.objects.filter(claimed_by__isnull=False, status="open").count() == 1

    def test_seed_demo_content_manager_sees_last_months_report_runs(self, seeded, client):
        period = months_before(timezone.localdate(), 1)
        runs = Report.objects.filter(period_start=period.start, period_end=period.end)

        page = _login(client, "esihenkilo").get(reverse("reports:index"))

        assert page.status_code == 200
        assert sorted(runs.values_list("kind", flat=True)) == sorted(Kind.values)
        assert set(runs.values_list("status", flat=True)) == {Report.Status.DONE}
        for run in runs:
            assert reverse("reports:detail", args=[run.pk]) in page.content.decode()
        figures = {run.kind: run.figures["totals"] for run in runs}
        assert figures[Kind.CONTACTS]["count"] > 50
        assert figures[Kind.CONTACTS]["previous"] > 50
        assert figures[Kind.CONSULTATIONS]["asked"] >= 1
        assert figures[Kind.STORIES]["stories"] >= 2
        assert figures[Kind.SEARCH_GAPS]["no_results"] > 0

    def test_seed_demo_content_rerun_adds_nothing(self, seeded):
        before = _counts()

        output = _seed_content()

        assert _counts() == before
        assert "nothing added" in output

    def test_seed_demo_content_fills_the_demo_users_inboxes_and_day(self, seeded):
        neuvoja = get_user_model().objects.get(username="neuvoja")
        sisalto = get_user_model().objects.get(username="sisalto")

        neuvoja_verbs = set(
            Notification.objects.filter(recipient=neuvoja).values_list("verb", flat=True)
        )
        assert {"mention", "answer", "callback_assigned", "caller_waiting"} <= neuvoja_verbs
        assert Notification.objects.filter(recipient=neuvoja, read_at__isnull=True).count() >= 3
        assert Notification.objects.filter(
            recipient=sisalto, verb="mention", read_at__isnull=True
        ).exists()
        assert Notification.objects.filter(recipient=sisalto, verb="entry_thread_solved").exists()
        callback = Callback.objects.get(assignee=neuvoja)
        assert callback.status == Callback.Status.OPEN and callback.due_at > timezone.now()
        assert contact_selectors.day_tally(neuvoja).total == demo.TODAY_CONTACTS
        assert (
            FaqItem.objects.filter(
                entry__key="lastenvalvoja", source_thread__status="solved"
            ).count()
            == 1
        )
        assert Story.objects.get(state="submitted").author.username != "neuvoja"
        assert Story.objects.get(state="draft").author == neuvoja

    def test_seed_demo_content_spreads_contacts_over_three_months(self, seeded):
        today = timezone.localdate()
        oldest = ContactRecord.objects.order_by("created_at").first()
        records = ContactRecord.objects.all()

        assert 200 <= records.count() <= 500
        assert (today - timezone.localdate(oldest.created_at)).days >= 80
        assert records.values("service_line").distinct().count() == 5
        assert records.values("channel").distinct().count() == 4
        assert records.values("municipality").distinct().count() >= 6  # of six and "not known"
        assert not records.filter(created_at__gt=timezone.now()).exists()

    def test_seed_demo_content_readds_today_only_when_today_has_none(self, seeded):
        neuvoja = get_user_model().objects.get(username="neuvoja")
        start, end = contact_selectors.day_bounds(timezone.localdate())
        today = ContactRecord.objects.filter(
            advisor=neuvoja, created_at__gte=start, created_at__lt=end
        )
        today.exclude(pk=today.first().pk).delete()

        _seed_content()
        assert today.count() == 1  # the advisor has contacts today: none added

        today.delete()
        _seed_content()
        assert today.count() == demo.TODAY_CONTACTS

    def test_seed_demo_content_colleagues_serve_lines_but_cannot_log_in(self, seeded):
        colleagues = get_user_model().objects.filter(
            username__in=[c.username for c in demo.COLLEAGUES]
        )

        assert colleagues.count() == len(demo.COLLEAGUES)
        for user in colleagues:
            assert user.is_active and not user.has_usable_password()
            assert user.service_lines.exists()
            assert user.has_perm("consultations.add_answer")

    def test_seed_demo_content_holds_no_phone_numbers_or_identity_codes(self, seeded):
        texts = [
            *Thread.objects.values_list("title", "body"),
            *Answer.objects.values_list("body"),
            *FaqItem.objects.values_list("question", "answer"),
            *Callback.objects.values_list("reason"),
            *Story.objects.values_list("title", "lead", "body", "unit"),
            *StoryComment.objects.values_list("body"),
            *ContactRecord.objects.exclude(topic_text="").values_list("topic_text"),
            *SearchLog.objects.values_list("query"),
            *Notification.objects.values_list("text"),
        ]
        flat = [text for row in texts for text in row]

        assert len(flat) > 100
        for text in flat:
            assert privacy.find_phone_numbers(text) == [], text
            assert privacy.find_personal_identity_codes(text) == [], text
        assert set(Callback.objects.values_list("phone", flat=True)) == {"040 000 0000"}

    def test_seed_demo_content_dates_history_in_the_past(self, seeded):
        now = timezone.now()
        last_month = months_before(timezone.localdate(), 1)
        start, end = last_month.bounds()

        assert Story.objects.filter(published_at__gte=start, published_at__lt=end).count() >= 2
        assert Thread.objects.filter(created_at__gte=start, created_at__lt=end).exists()
        for thread in Thread.objects.filter(status="solved"):
            assert thread.created_at < thread.solved_at <= now
            assert all(thread.created_at < a.created_at <= now for a in thread.answers.all())
        assert not Notification.objects.filter(created_at__gt=now).exists()
        assert Notification.objects.filter(created_at__lt=now - datetime.timedelta(days=7)).exists()


def test_seed_demo_content_requires_the_demo_logins(db):
    with pytest.raises(CommandError, match="seed_demo"):
        _seed_content()
    assert Thread.objects.count() == 0
