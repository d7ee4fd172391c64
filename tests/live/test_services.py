"""Publishing: after the commit only, to an audience worked out from permissions."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from apps.consultations import services as consultations
from apps.consultations.models import Urgency
from apps.live import kinds, selectors, services
from apps.live.models import LiveEvent
from apps.notifications import services as notifications
from tests.conftest import make_user
from tests.consultations import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def line(advisor, colleague):
    line = factories.line()
    advisor.service_lines.add(line)
    colleague.service_lines.add(line)
    return line


def test_publish_stores_the_event_only_when_the_transaction_commits(
    advisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                services.publish(kind=kinds.MENTION, audience=[advisor.pk], payload={"thread": 1})
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert not LiveEvent.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(kind=kinds.MENTION, audience=[advisor.pk], payload={"thread": 1})
    event = LiveEvent.objects.get()
    assert (event.kind, event.audience, event.payload) == ("mention", [advisor.pk], {"thread": 1})


def test_publish_refuses_an_unknown_kind_and_skips_an_empty_audience(
    advisor, django_capture_on_commit_callbacks
):
    with pytest.raises(ValueError, match="unknown"):
        services.publish(kind="question.deleted", audience=[advisor.pk], payload={})
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.publish(kind=kinds.MENTION, audience=[None], payload={})
    assert callbacks == []


def test_waiting_question_reaches_the_lines_readers_only(
    advisor,
    colleague,
    other_line_advisor,
    line,
    django_user_model,
    django_capture_on_commit_callbacks,
):
    # Someone serving the line without the right to read questions: not in the audience.
    make_user(django_user_model, "ilmanoikeuksia").service_lines.add(line)
    with django_capture_on_commit_callbacks(execute=True):
        thread = consultations.thread_create(
            author=advisor,
            title="Kuljetuspalvelu",
            body="Asiakas odottaa.",
            service_line=line,
            urgency=Urgency.WAITING,
        )
    waiting = LiveEvent.objects.get(kind=kinds.QUESTION_WAITING)
    assert waiting.audience == [colleague.pk]
    assert waiting.payload == {
        "thread": thread.pk,
        "line": line.pk,
        "title": "Kuljetuspalvelu",
        "line_name": str(line),
        "url": thread.get_absolute_url(),
    }
    posted = LiveEvent.objects.get(kind=kinds.QUESTION_POSTED)
    assert posted.audience == [advisor.pk]
    # The inbox notification's badge (notify's own recipients, unchanged here).
    unread = LiveEvent.objects.get(kind=kinds.UNREAD_CHANGED)
    assert colleague.pk in unread.audience
    assert advisor.pk not in unread.audience
    assert other_line_advisor.pk not in unread.audience


def test_claim_answer_and_solution_reach_the_asker(
    advisor, colleague, other_line_advisor, line, django_capture_on_commit_callbacks
):
    thread = factories.thread(author=advisor, service_line=line)
    with django_capture_on_commit_callbacks(execute=True):
        consultations.thread_claim(thread=thread, user=colleague)
        answer = consultations.answer_post(thread=thread, author=colleague, body="Näin.")
        consultations.thread_solve(thread=thread, answer=answer, by=advisor)
    events = {e.kind: e for e in LiveEvent.objects.all()}
    for kind in (kinds.QUESTION_CLAIMED, kinds.QUESTION_ANSWERED, kinds.QUESTION_SOLVED):
        assert advisor.pk in events[kind].audience, kind
        assert other_line_advisor.pk not in events[kind].audience, kind
        assert events[kind].payload["thread"] == thread.pk
    assert events[kinds.QUESTION_ANSWERED].payload["answer"] == answer.pk


def test_mention_and_callback_reach_only_that_person(
    advisor, colleague, other_line_advisor, line, django_capture_on_commit_callbacks
):
    thread = factories.thread(author=advisor, service_line=line)
    with django_capture_on_commit_callbacks(execute=True):
        consultations.answer_post(thread=thread, author=advisor, body="@toinenlinja katso")
        callback = consultations.callback_create(
            requester=advisor,
            due_at=timezone.now() + datetime.timedelta(hours=2),
            reason="Soita takaisin",
            phone="040 123 4567",
            assignee=colleague,
        )
    mention = LiveEvent.objects.get(kind=kinds.MENTION)
    assert mention.audience == [other_line_advisor.pk]
    assigned = LiveEvent.objects.get(kind=kinds.CALLBACK_ASSIGNED)
    assert assigned.audience == [colleague.pk]
    assert assigned.payload == {"callback": callback.pk}
    assert "040" not in str(assigned.payload)


def test_mark_read_tells_the_users_other_tabs(advisor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(recipients=[advisor], verb="mention", text="Hei", url="/")
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.mark_read(user=advisor) == 1
        assert notifications.mark_read(user=advisor) == 0
    assert [e.audience for e in LiveEvent.objects.filter(kind=kinds.UNREAD_CHANGED)] == [
        [advisor.pk],
        [advisor.pk],
    ]


def test_replay_returns_the_users_events_after_the_last_seen(advisor, colleague):
    first = LiveEvent.objects.create(kind=kinds.MENTION, audience=[advisor.pk])
    second = LiveEvent.objects.create(kind=kinds.MENTION, audience=[advisor.pk, colleague.pk])
    LiveEvent.objects.create(kind=kinds.MENTION, audience=[colleague.pk])
    replay = selectors.events_for_replay(user_id=advisor.pk, last_event_id=first.pk)
    assert [e.pk for e in replay] == [second.pk]


def test_prune_keeps_only_the_retention_period(advisor, settings):
    settings.NEUVOKAS_LIVE_RETENTION_SECONDS = 60
    now = timezone.now()
    old = LiveEvent.objects.create(
        kind=kinds.MENTION, audience=[advisor.pk], created_at=now - datetime.timedelta(minutes=2)
    )
    fresh = LiveEvent.objects.create(kind=kinds.MENTION, audience=[advisor.pk], created_at=now)
    assert services.events_prune(now=now) == 1
    assert list(LiveEvent.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not LiveEvent.objects.filter(pk=old.pk).exists()
