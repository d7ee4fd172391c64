"""Writes of the audit trail: :func:`record` (every event) and :func:`purge_expired`
(the retention purge, the one delete the database allows)."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from apps.core.privacy import scrub

from . import context
from .models import Event

Kind = Event.Kind


@dataclass(frozen=True)
class Target:
    """What an event is about, when it is not a model instance at hand."""

    type: str
    id: str = ""
    label: str = ""


def _target_of(target: models.Model | Target | None) -> Target:
    if target is None:
        return Target(type="")
    if isinstance(target, Target):
        return target
    return Target(type=target._meta.label_lower, id=str(target.pk or ""), label=str(target))


def _clean(value: Any) -> Any:
    """JSON values with identity codes and phone numbers scrubbed from every string."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_clean(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return scrub(str(value))


def _actor_of(actor: Any) -> Any:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor


def record(
    kind: Event.Kind | str,
    actor: Any,
    target: models.Model | Target | None = None,
    **details: Any,
) -> Event:
    """Append one event. ``actor`` is the user who acted (``None`` or an anonymous user
    for the system); the IP comes from the request being served, if any. ``details``
    must not hold free text a person typed, passwords or phone numbers; strings are
    scrubbed of identity codes and phone numbers anyway."""
    actor = _actor_of(actor)
    about = _target_of(target)
    event = Event(
        kind=Kind(kind),
        actor=actor,
        actor_username=actor.get_username()[:150] if actor is not None else "",
        ip=context.client_ip(context.current_request()),
        target_type=about.type[:100],
        target_id=about.id[:64],
        target_label=scrub(about.label)[:200],
        details=_clean(details),
    )
    event.save(force_insert=True)
    return event


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    now = now or timezone.now()
    return now - datetime.timedelta(days=settings.NEUVOKAS_AUDIT_RETENTION_DAYS)


def purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete the events older than the retention period; returns how many went.

    Idempotent (a second run finds nothing more to delete). The trigger lets the DELETE
    through only because this transaction sets ``neuvokas.audit_purge``; the purge
    itself is recorded when it deleted anything.
    """
    cutoff = retention_cutoff(now)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL neuvokas.audit_purge = 'on'")
            cursor.execute(
                f"DELETE FROM {Event._meta.db_table} WHERE created_at < %s",  # noqa: S608 - our table name
                [cutoff],
            )
            deleted: int = cursor.rowcount
            cursor.execute("SET LOCAL neuvokas.audit_purge = 'off'")
        if deleted:
            record(
                Kind.PURGE,
                None,
                deleted=deleted,
                before=cutoff,
                retention_days=settings.NEUVOKAS_AUDIT_RETENTION_DAYS,
            )
    return deleted


def details_json(details: Any) -> str:
    return json.dumps(details, ensure_ascii=False, sort_keys=True)
