"""The problem-report notification and the owners' weekly reminder, run by a real Celery
worker (a thread of this process)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from apps.catalogue import services
from apps.catalogue.models import ProblemReport
from apps.catalogue.tasks import (  # registers the tasks before the worker starts
    notify_problem_report,
    remind_owners,
)
from tests.catalogue import factories
from tests.conftest import make_user
from tests.helpers import drain_worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_notify_problem_report_worker_mails_the_owner(
    reference_data_tx, current_celery_app, celery_worker, django_user_model, advisor
):
    assert "catalogue.notify_problem_report" in current_celery_app.tasks
    owner = make_user(django_user_model, "omistaja")
    entry = factories.entry("kuljetus", title="Kuljetuspalvelu", owner=owner)

    report = services.problem_report_create(
        entry=entry, reporter=advisor, what_is_wrong="Puhelinnumero vaihtunut"
    )

    wait_for(lambda: len(mail.outbox) >= 1)
    wait_for(lambda: ProblemReport.objects.get(pk=report.pk).notified_at is not None)
    assert [m.to for m in mail.outbox] == [["omistaja@example.org"]]
    assert "Kuljetuspalvelu" in mail.outbox[0].subject
    assert "Puhelinnumero" not in mail.outbox[0].body


def test_notify_problem_report_twice_sends_one_mail(
    reference_data_tx, current_celery_app, celery_worker, editor
):
    entry = factories.entry("ilman-omistajaa", title="Omaishoidon tuki")
    report = factories.problem_report(entry)

    first = notify_problem_report.delay(report.pk)
    second = notify_problem_report.delay(report.pk)

    assert [first.get(timeout=10), second.get(timeout=10)] == [1, 0]
    assert [m.to for m in mail.outbox] == [["editor@example.org"]]
    assert ProblemReport.objects.get(pk=report.pk).notified_at is not None


def test_remind_owners_weekly_once(
    reference_data_tx, current_celery_app, celery_worker, editor, django_user_model
):
    other = make_user(django_user_model, "toinen", "Sisällöntuottaja")
    factories.entry(
        "vanha", owner=editor, last_reviewed=datetime.date(2025, 1, 1), review_interval_days=30
    )
    factories.entry("toisen", owner=other, last_reviewed=None)
    factories.entry("tuore", owner=make_user(django_user_model, "kolmas"))

    monday = "2026-03-16T07:00:00+02:00"
    assert sorted(remind_owners.delay(monday).get(timeout=20)) == sorted([editor.pk, other.pk])
    wait_for(lambda: len(mail.outbox) == 2, 20)
    remind_owners.delay("2026-03-18T07:00:00+02:00").get(timeout=20)  # same week
    # Any mail task the second run enqueued (on its commit, before it returned) has run:
    drain_worker(current_celery_app)
    assert sorted(m.to[0] for m in mail.outbox) == ["editor@example.org", "toinen@example.org"]
