"""Publishing live events: stored for replay, then announced to every web process.

``publish`` is called by the apps' services inside their transaction. Nothing is
stored or announced unless that transaction commits: the event is written after the
commit (``transaction.on_commit``) in a short transaction of its own, which also sends
PostgreSQL's ``NOTIFY`` (delivered to the listeners when it commits). Each web process
has one listener (:mod:`apps.live.hub`) that fans the event out to its connected users.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import kinds
from .models import AlertPreference, LiveEvent

logger = logging.getLogger(__name__)

CHANNEL = "neuvokas_live"
# PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; a larger event goes by id
# and the listener reads it from the table.
NOTIFY_LIMIT = 7000


def publish(*, kind: str, audience: Iterable[int | None], payload: Mapping[str, Any]) -> None:
    """Push ``payload`` to the users in ``audience`` (user ids) once the current
    transaction commits. An empty audience publishes nothing. ``payload`` must hold
    only what every member of the audience may see (ids, a title, a URL)."""
    if kind not in kinds.ALL:
        raise ValueError(f"unknown live event kind {kind!r}")
    users = sorted({int(pk) for pk in audience if pk is not None})
    if not users:
        return
    data = dict(payload)
    json.dumps(data)  # refuse what cannot be sent now, not after the commit
    transaction.on_commit(lambda: _store_and_announce(kind=kind, audience=users, payload=data))


def _store_and_announce(*, kind: str, audience: list[int], payload: dict[str, Any]) -> None:
    try:
        with transaction.atomic():
            # A push is a hint to reload, kept a few minutes for replay: its commit does
            # not wait for the disk (a crash may lose the last moment's events; pages
            # also poll). The write it follows committed durably before.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            event = LiveEvent.objects.create(kind=kind, audience=audience, payload=payload)
            message = json.dumps(
                {"id": event.pk, "kind": kind, "audience": audience, "payload": payload},
                separators=(",", ":"),
            )
            if len(message.encode()) >= NOTIFY_LIMIT:
                message = json.dumps({"id": event.pk})
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, message])
    except Exception:
        # The write it follows has committed; a lost push must not turn it into an error
        # page. Pages still poll, so the change shows within their polling interval.
        logger.exception("Live event %s could not be published", kind)


def events_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete events older than ``NEUVOKAS_LIVE_RETENTION_SECONDS``; how many went."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.NEUVOKAS_LIVE_RETENTION_SECONDS)
    deleted, _ = LiveEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def alerts_set(*, user_id: int, alerts: bool) -> None:
    """Turn the user's browser notification and sound for waiting callers on or off."""
    AlertPreference.objects.update_or_create(user_id=user_id, defaults={"alerts": alerts})
