from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from apps.audit import services
from apps.audit.models import Event
from tests.consultations import factories

pytestmark = pytest.mark.django_db

Kind = services.Kind


def _old(days: int, **fields) -> Event:
    """An event made ``days`` ago (set-up only: record() always stamps now)."""
    return Event.objects.create(
        kind=Kind.EXPORT, created_at=timezone.now() - datetime.timedelta(days=days), **fields
    )


def test_record_names_actor_target_and_scrubs_phone_numbers_and_identity_codes(advisor):
    callback = factories.callback(requester=advisor, phone="040 765 4321")

    event = services.record(
        Kind.PHONE_SHOWN, advisor, callback, note="soita 040 765 4321", code="131052-308T"
    )

    event.refresh_from_db()
    assert (event.actor, event.actor_username) == (advisor, "advisor")
    assert (event.target_type, event.target_id) == ("consultations.callback", str(callback.pk))
    assert event.target_label == str(callback)
    assert event.details == {"note": "soita [puhelin]", "code": "[hetu]"}
    assert event.ip is None  # no request being served


def test_record_of_the_system_has_no_actor():
    event = services.record(Kind.PURGE, None, deleted=1)
    assert (event.actor, event.actor_username) == (None, "")


@pytest.mark.parametrize("settings_days", [730])
def test_purge_expired_deletes_only_events_past_retention(settings, settings_days):
    settings.NEUVOKAS_AUDIT_RETENTION_DAYS = settings_days
    expired = [_old(settings_days + 1), _old(settings_days + 400)]
    kept = [_old(settings_days - 1), _old(0)]

    assert services.purge_expired() == 2

    remaining = set(Event.objects.exclude(kind=Kind.PURGE).values_list("pk", flat=True))
    assert remaining == {e.pk for e in kept}
    assert not Event.objects.filter(pk__in=[e.pk for e in expired]).exists()
    purge = Event.objects.get(kind=Kind.PURGE)
    assert purge.details["deleted"] == 2 and purge.details["retention_days"] == settings_days


def test_purge_expired_is_idempotent(settings):
    settings.NEUVOKAS_AUDIT_RETENTION_DAYS = 30
    _old(31)

    assert services.purge_expired() == 1
    assert services.purge_expired() == 0
    assert Event.objects.filter(kind=Kind.PURGE).count() == 1
