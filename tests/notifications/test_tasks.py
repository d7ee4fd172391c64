"""The e-mail task through a real Celery worker (a thread of this process)."""

from __future__ import annotations

import pytest
from django.core import mail

from apps.notifications.models import Notification
from apps.notifications.services import notify
from apps.notifications.tasks import send_email
from tests.helpers import poll

pytestmark = pytest.mark.django_db(transaction=True)


def test_send_email_mails_only_recipients_who_want_email(celery_worker, carol, alice, bob):
    carol.email_notifications = False
    carol.save(update_fields=["email_notifications"])

    # carol's task is enqueued first; the solo worker runs them in order.
    notify(
        recipients=[carol, alice, bob],
        actor=bob,
        verb="mention",
        text="Bob mainitsi sinut kysymyksessä.",
        url="/kysymykset/3/",
    )

    assert poll(lambda: len(mail.outbox) >= 1)
    # The mail leaves inside the task's transaction; emailed_at is visible once it commits.
    assert poll(
        lambda: Notification.objects.filter(recipient=alice, emailed_at__isnull=False).exists()
    )
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "Bob mainitsi sinut kysymyksessä." in mail.outbox[0].body
    emailed = dict(Notification.objects.values_list("recipient__username", "emailed_at"))
    assert emailed["alice"] is not None
    assert emailed["carol"] is None


def test_send_email_is_not_sent_when_the_user_turned_email_off(celery_worker, alice):
    alice.email_notifications = False
    alice.save(update_fields=["email_notifications"])
    (notification,) = notify(
        recipients=[alice], verb="answer", text="Vastaus.", url="/k/", email=False
    )

    assert send_email.delay(notification.pk).get(timeout=10) is False
    assert mail.outbox == []


def test_send_email_run_twice_sends_one_email(celery_worker, alice):
    (notification,) = notify(
        recipients=[alice],
        verb="caller_waiting",
        text="Soittaja odottaa vastausta linjallasi.",
        url="/k/",
        email=False,
    )

    first = send_email.delay(notification.pk)
    second = send_email.delay(notification.pk)

    assert sorted([first.get(timeout=10), second.get(timeout=10)]) == [False, True]
    assert len(mail.outbox) == 1


def test_notify_with_the_same_dedupe_key_twice_sends_one_email(celery_worker, alice, bob):
    for _ in range(2):
        notify(
            recipients=[alice],
            actor=bob,
            verb="caller_waiting",
            text="Soittaja odottaa.",
            url="/k/",
            dedupe_key="thread:9:waiting",
        )
    # A task enqueued after the first one: once it has run, the first one has too.
    assert send_email.delay(0).get(timeout=10) is False

    assert len(mail.outbox) == 1
