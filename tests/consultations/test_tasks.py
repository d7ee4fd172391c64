"""The scheduled callback tasks, run by a real Celery worker (a thread of this process)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from apps.consultations import services, tasks  # registers the tasks before the app starts
from apps.consultations.models import Callback, CallbackEvent, Urgency
from apps.notifications.models import Notification
from tests.consultations import factories
from tests.helpers import drain_worker, wait_for
from tests.reference_data import seed_reference_data

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(NEUVOKAS_CALLBACK_RETENTION_DAYS=7)
def test_erase_callback_numbers_worker_erases_only_due_numbers(
    reference_data_tx, current_celery_app, celery_worker, advisor, colleague
):
    assert "consultations.erase_callback_numbers" in current_celery_app.tasks
    now = timezone.now()
    due = factories.callback(
        requester=advisor,
        assignee=colleague,
        phone="040 111 2222",
        status=Callback.Status.DONE,
        done_at=now - datetime.timedelta(days=8),
    )
    recent = factories.callback(
        requester=advisor,
        assignee=colleague,
        phone="040 333 4444",
        status=Callback.Status.DONE,
        done_at=now - datetime.timedelta(days=6),
    )
    still_open = factories.callback(
        requester=advisor,
        assignee=colleague,
        phone="040 555 6666",
        due_at=now - datetime.timedelta(days=30),
    )

    assert tasks.erase_callback_numbers.delay().get(timeout=10) == 1
    wait_for(lambda: Callback.objects.get(pk=due.pk).phone_erased_at is not None)
    # Run again: nothing more is due, and the erasure is logged once.
    assert tasks.erase_callback_numbers.delay().get(timeout=10) == 0

    due.refresh_from_db()
    assert due.phone == ""
    event = CallbackEvent.objects.get(kind=CallbackEvent.Kind.ERASED)
    assert (event.callback_id, event.actor) == (due.pk, None)
    assert Callback.objects.get(pk=recent.pk).phone == "040 333 4444"
    assert Callback.objects.get(pk=still_open.pk).phone == "040 555 6666"


def test_erase_callback_number_twice_erases_once(
    reference_data_tx, current_celery_app, celery_worker, advisor, colleague
):
    callback = factories.callback(
        requester=advisor,
        assignee=colleague,
        status=Callback.Status.DONE,
        done_at=timezone.now() - datetime.timedelta(days=30),
    )
    first = tasks.erase_callback_number.delay(callback.pk)
    second = tasks.erase_callback_number.delay(callback.pk)
    assert sorted([first.get(timeout=10), second.get(timeout=10)]) == [False, True]
    assert CallbackEvent.objects.filter(kind=CallbackEvent.Kind.ERASED).count() == 1


def test_flag_overdue_callbacks_worker_notifies_assignee_once(
    reference_data_tx, current_celery_app, celery_worker, advisor, colleague
):
    overdue = factories.callback(
        requester=advisor, assignee=colleague, due_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    factories.callback(requester=advisor, assignee=colleague)  # not yet due

    assert tasks.flag_overdue_callbacks.delay().get(timeout=10) == 1
    wait_for(lambda: Callback.objects.get(pk=overdue.pk).overdue_notified_at is not None)
    assert tasks.flag_overdue_callbacks.delay().get(timeout=10) == 0

    assert list(Notification.objects.values_list("recipient__username", "verb")) == [
        ("kollega", "callback_overdue")
    ]


def test_periodic_tasks_are_seeded(reference_data_tx):
    seeded = dict(PeriodicTask.objects.values_list("task", "interval__every"))
    assert seeded["consultations.erase_callback_numbers"] == 60
    assert seeded["consultations.flag_overdue_callbacks"] == 5


def test_periodic_task_seeding_keeps_admin_edits(reference_data_tx):
    task = PeriodicTask.objects.get(task="consultations.erase_callback_numbers")
    task.enabled = False
    task.save()
    seed_reference_data()  # replays the data migrations
    assert PeriodicTask.objects.filter(task="consultations.erase_callback_numbers").count() == 1
    assert PeriodicTask.objects.get(task="consultations.erase_callback_numbers").enabled is False


def test_answer_and_mention_emails_go_through_the_worker(
    reference_data_tx, current_celery_app, celery_worker, advisor, colleague, outsider, manager
):
    manager.email_notifications = False
    manager.save(update_fields=["email_notifications"])
    thread = factories.thread(author=advisor, title="Kotihoidon maksu")

    services.answer_post(
        thread=thread, author=colleague, body="Katso @sivullinen ja @manager, tässä vastaus."
    )

    wait_for(lambda: len(mail.outbox) >= 2)
    # answer_post enqueued its e-mails when it committed; once the worker has run them
    # all, nothing more arrives: the manager turned e-mail off.
    drain_worker(current_celery_app)
    assert sorted(m.to[0] for m in mail.outbox) == ["advisor@example.org", "sivullinen@example.org"]
    assert all("Kotihoidon maksu" in m.body for m in mail.outbox)


def test_caller_waiting_question_emails_line_staff(
    reference_data_tx, current_celery_app, celery_worker, advisor, colleague, outsider
):
    line = factories.line("ikaihmiset")
    colleague.service_lines.add(line)

    services.thread_create(
        author=advisor,
        title="Asiakas linjalla",
        body="Apua",
        service_line=line,
        urgency=Urgency.WAITING,
    )

    wait_for(lambda: len(mail.outbox) >= 1)
    assert [m.to for m in mail.outbox] == [["kollega@example.org"]]
