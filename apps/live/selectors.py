"""Reads of the live event log."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from .models import AlertPreference, LiveEvent

# Event ids are taken before their transactions commit, so a lower id can become
# visible just after a higher one. Replay therefore also looks this far back before the
# last event the client saw; the client drops ids it already has.
REPLAY_OVERLAP = datetime.timedelta(seconds=5)


def events_for_replay(
    *, user_id: int, last_event_id: int, overlap: bool = True
) -> QuerySet[LiveEvent]:
    """The retained events for ``user_id`` after ``last_event_id`` (with ``overlap``,
    also those of the few seconds before it), oldest first."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.NEUVOKAS_LIVE_RETENTION_SECONDS)
    last = LiveEvent.objects.filter(pk=last_event_id).values_list("created_at", flat=True)
    qs = LiveEvent.objects.filter(audience__contains=[user_id], created_at__gte=cutoff)
    since = last.first() if overlap else None
    if since is None:
        return qs.filter(pk__gt=last_event_id).order_by("pk")
    return (
        qs.filter(created_at__gte=since - REPLAY_OVERLAP).exclude(pk=last_event_id).order_by("pk")
    )


def events_after(*, event_id: int) -> QuerySet[LiveEvent]:
    """Every event after ``event_id`` (a listener catching up after a reconnect)."""
    return LiveEvent.objects.filter(pk__gt=event_id).order_by("pk")


def event_get(*, event_id: int) -> LiveEvent | None:
    return LiveEvent.objects.filter(pk=event_id).first()


def last_event_id() -> int:
    return LiveEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def alerts_enabled(*, user_id: int) -> bool:
    return AlertPreference.objects.filter(user_id=user_id, alerts=True).exists()


def still_signed_in(*, session_key: str | None, user_id: int) -> bool:
    """The stream's session still exists (not signed out or expired) and its user is
    still active."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session

    if session_key is None:
        return False
    if not Session.objects.filter(session_key=session_key, expire_date__gt=timezone.now()).exists():
        return False
    return get_user_model().objects.filter(pk=user_id, is_active=True).exists()
