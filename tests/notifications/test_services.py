from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from apps.core.dispatch import _send_or_record
from apps.notifications.models import Notification
from apps.notifications.services import mark_read, notification_email_send, notify
from tests.helpers import poll

pytestmark = pytest.mark.django_db


def _notify(recipients, **overrides):
    arguments = {
        "verb": "answer",
        "text": "Kysymykseesi vastattiin.",
        "url": "/kysymykset/1/",
        "email": False,
    }
    arguments.update(overrides)
    return notify(recipients=recipients, **arguments)


def _emails_enqueued(callbacks):
    """The after-commit sends of notifications.send_email among ``callbacks`` (the live
    refresh publishes after the commit too)."""
    return [
        call.args[1]
        for call in callbacks
        if getattr(call, "func", None) is _send_or_record
        and call.args[0] == "notifications.send_email"
    ]


class TestNotify:
    def test_notify_creates_one_row_per_recipient_except_actor(self, alice, bob, carol):
        created = _notify([alice, bob, carol], actor=bob)

        assert sorted(n.recipient.username for n in created) == ["alice", "carol"]
        rows = Notification.objects.order_by("recipient__username")
        assert [(n.recipient.username, n.actor_id, n.verb, n.url) for n in rows] == [
            ("alice", bob.pk, "answer", "/kysymykset/1/"),
            ("carol", bob.pk, "answer", "/kysymykset/1/"),
        ]
        assert all(n.read_at is None and n.emailed_at is None for n in rows)

    def test_notify_counts_a_repeated_recipient_once(self, alice):
        _notify([alice, alice])

        assert Notification.objects.filter(recipient=alice).count() == 1

    def test_notify_skips_inactive_users(self, alice, bob):
        bob.is_active = False
        bob.save(update_fields=["is_active"])

        created = _notify([alice, bob])

        assert [n.recipient_id for n in created] == [alice.pk]

    def test_notify_with_only_the_actor_creates_nothing(self, alice):
        assert _notify([alice], actor=alice) == []
        assert Notification.objects.count() == 0

    def test_notify_scrubs_personal_data_from_text(self, alice):
        _notify([alice], text="Soita 040 123 4567, asiakas 131052-308T")

        text = Notification.objects.get().text
        assert "040" not in text and "131052" not in text
        assert "[puhelin]" in text and "[hetu]" in text

    @pytest.mark.parametrize(
        "url",
        [
            "https://evil.example/x/",
            "//evil.example/x/",
            "/\\evil.example",
            "javascript:alert(1)",
            "kysymykset/1/",
            "",
        ],
    )
    def test_notify_refuses_urls_off_this_site(self, alice, url):
        with pytest.raises(ValidationError) as excinfo:
            _notify([alice], url=url)

        assert "url" in excinfo.value.message_dict
        assert Notification.objects.count() == 0

    def test_notify_refuses_a_malformed_verb(self, alice):
        with pytest.raises(ValidationError):
            _notify([alice], verb="Not a verb!")
        assert Notification.objects.count() == 0

    def test_notify_truncates_long_text(self, alice):
        _notify([alice], text="sana " * 300)

        assert len(Notification.objects.get().text) == Notification.TEXT_MAX_LENGTH

    def test_notify_with_dedupe_key_is_idempotent(self, alice, bob):
        first = _notify([alice], dedupe_key="thread:7:waiting")
        second = _notify([alice, bob], dedupe_key="thread:7:waiting")

        assert [n.recipient_id for n in first] == [alice.pk]
        assert [n.recipient_id for n in second] == [bob.pk]
        assert Notification.objects.filter(dedupe_key="thread:7:waiting").count() == 2

    def test_notify_without_dedupe_key_always_creates(self, alice):
        _notify([alice])
        _notify([alice])

        assert Notification.objects.filter(recipient=alice).count() == 2

    def test_notify_enqueues_one_email_per_new_notification_on_commit(
        self, alice, bob, carol, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            created = _notify([alice, bob, carol], actor=carol, email=True, dedupe_key="k")
            _notify([alice, bob], email=True, dedupe_key="k")  # nothing new

        assert len(created) == 2
        assert sorted(_emails_enqueued(callbacks)) == sorted([n.pk] for n in created)

    def test_notify_with_email_false_enqueues_nothing(
        self, alice, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            _notify([alice], email=False)

        assert _emails_enqueued(callbacks) == []

    def test_notify_rolls_back_with_the_callers_transaction(self, alice):
        with pytest.raises(RuntimeError), transaction.atomic():
            _notify([alice])
            raise RuntimeError

        assert Notification.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_notify_dedupe_key_under_concurrency_creates_one(alice):
    """The second call looks before the first commits, so it cannot see the first row;
    its insert then waits on the unique index and must end up creating nothing."""
    first_inserted, release_first = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def run(name: str, before=None, after=None) -> None:
        try:
            if before:
                before.wait(10)
            with transaction.atomic():
                results[name] = _notify([alice], dedupe_key="thread:1:waiting")
                if after:
                    after()
        except Exception as exc:  # reported by the assertions below
            results[name] = exc
        finally:
            connection.close()

    def hold_first() -> None:
        first_inserted.set()
        release_first.wait(10)

    first = threading.Thread(target=run, args=("first",), kwargs={"after": hold_first})
    second = threading.Thread(target=run, args=("second",), kwargs={"before": first_inserted})
    first.start()
    second.start()
    blocked = _wait_for_lock_wait()
    release_first.set()
    first.join(10)
    second.join(10)

    assert blocked, "the second insert never waited on the first one's row"
    assert [n.recipient_id for n in results["first"]] == [alice.pk]
    assert results["second"] == []
    assert Notification.objects.filter(dedupe_key="thread:1:waiting").count() == 1


def _wait_for_lock_wait(timeout: float = 10) -> bool:
    def someone_waits() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                " AND datname = current_database()"
            )
            return bool(cursor.fetchone()[0])

    return poll(someone_waits, timeout, interval=0.02)


class TestMarkRead:
    def test_mark_read_all_marks_only_the_users_unread(self, alice, bob):
        _notify([alice, bob])
        _notify([alice])

        assert mark_read(user=alice) == 2
        assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
        assert Notification.objects.get(recipient=bob).read_at is None

    def test_mark_read_given_ids_leaves_the_rest(self, alice):
        (one,) = _notify([alice])
        (two,) = _notify([alice])

        assert mark_read(user=alice, notification_ids=[one.pk]) == 1
        one.refresh_from_db()
        two.refresh_from_db()
        assert one.read_at is not None and two.read_at is None

    def test_mark_read_ignores_other_users_ids(self, alice, bob):
        (theirs,) = _notify([bob])

        assert mark_read(user=alice, notification_ids=[theirs.pk]) == 0
        theirs.refresh_from_db()
        assert theirs.read_at is None

    def test_mark_read_keeps_the_first_read_time(self, alice):
        (one,) = _notify([alice])
        mark_read(user=alice)
        one.refresh_from_db()
        first_read = one.read_at

        assert mark_read(user=alice) == 0
        one.refresh_from_db()
        assert one.read_at == first_read


class TestNotificationEmailSend:
    def test_notification_email_send_mails_the_recipient_once(self, alice, bob):
        (notification,) = _notify([alice], actor=bob, text="Bob mainitsi sinut.", verb="mention")

        assert notification_email_send(notification_id=notification.pk) is True
        assert notification_email_send(notification_id=notification.pk) is False

        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["alice@example.org"]
        assert "Maininta" in message.subject
        assert "Bob mainitsi sinut." in message.body
        assert f"/ilmoitukset/{notification.pk}/" in message.body
        assert "/profiili/" in message.body
        notification.refresh_from_db()
        assert notification.emailed_at is not None

    def test_notification_email_send_respects_the_users_choice(self, alice):
        alice.email_notifications = False
        alice.save(update_fields=["email_notifications"])
        (notification,) = _notify([alice])

        assert notification_email_send(notification_id=notification.pk) is False
        assert mail.outbox == []

    def test_notification_email_send_skips_a_user_without_address(self, alice):
        alice.email = ""
        alice.save(update_fields=["email"])
        (notification,) = _notify([alice])

        assert notification_email_send(notification_id=notification.pk) is False
        assert mail.outbox == []

    def test_notification_email_send_skips_an_already_read_notification(self, alice):
        (notification,) = _notify([alice])
        mark_read(user=alice)

        assert notification_email_send(notification_id=notification.pk) is False
        assert mail.outbox == []

    def test_notification_email_send_of_a_deleted_notification_does_nothing(self):
        assert notification_email_send(notification_id=987654) is False
        assert mail.outbox == []
