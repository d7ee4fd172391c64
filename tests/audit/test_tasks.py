from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from apps.audit import tasks
from apps.audit.models import Event
from tests.reference_data import seed_reference_data


def test_purge_is_scheduled_nightly_in_celery_beat(reference_data_tx):
    task = PeriodicTask.objects.get(task="audit.purge_expired")
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == (
        "3",
        "15",
        "Europe/Helsinki",
    )


def test_purge_schedule_seeding_keeps_admin_edits(reference_data_tx):
    task = PeriodicTask.objects.get(task="audit.purge_expired")
    task.enabled = False
    task.save()
    seed_reference_data()  # replays the data migrations
    assert PeriodicTask.objects.filter(task="audit.purge_expired").count() == 1
    assert PeriodicTask.objects.get(task="audit.purge_expired").enabled is False


@pytest.mark.django_db(transaction=True)
def test_purge_expired_task_runs_on_a_worker_and_is_idempotent(
    reference_data_tx, current_celery_app, celery_worker, settings
):
    settings.NEUVOKAS_AUDIT_RETENTION_DAYS = 10
    now = timezone.now()
    old = Event.objects.create(kind=Event.Kind.EXPORT, created_at=now - datetime.timedelta(days=11))
    new = Event.objects.create(kind=Event.Kind.EXPORT, created_at=now - datetime.timedelta(days=9))

    assert tasks.purge_expired.delay(now.isoformat()).get(timeout=30) == 1
    assert tasks.purge_expired.delay(now.isoformat()).get(timeout=30) == 0

    assert not Event.objects.filter(pk=old.pk).exists()
    assert Event.objects.filter(pk=new.pk).exists()
    assert Event.objects.filter(kind=Event.Kind.PURGE).count() == 1
