"""Writes of the inbox: create notifications, mark them read, e-mail them once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from apps.core import privacy
from apps.core.dispatch import enqueue
from apps.core.http import is_same_site_path
from apps.live import kinds as live_kinds
from apps.live.services import publish as live_publish

from .models import Notification
from .tasks import send_email

if TYPE_CHECKING:
    from apps.accounts.models import User


def notify(
    *,
    recipients: Iterable[User],
    verb: str,
    text: str,
    url: str,
    actor: User | None = None,
    email: bool = True,
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Put a notification in each recipient's inbox (never the actor's own) and, when
    ``email`` is true, enqueue one e-mail per new notification after the commit.

    Runs in the caller's transaction. With ``dedupe_key`` a recipient gets at most one
    notification per key, however many times and however concurrently this is called;
    only the rows this call created are returned and e-mailed.
    ``text`` must hold no personal data; identity codes and phone numbers are scrubbed
    anyway.
    """
    text = Truncator(" ".join(privacy.scrub(text or "").split())).chars(
        Notification.TEXT_MAX_LENGTH
    )
    if not text:
        raise ValidationError({"text": _("Ilmoituksella täytyy olla teksti.")})
    if not is_same_site_path(url):
        raise ValidationError({"url": _("Ilmoituksen osoitteen täytyy olla tämän sivuston polku.")})

    actor_id = actor.pk if actor is not None else None
    targets: dict[int, User] = {}
    for user in recipients:
        if user.pk != actor_id and user.is_active:
            targets.setdefault(user.pk, user)
    if not targets:
        return []

    now = timezone.now()
    rows = []
    for user_id in sorted(targets):
        row = Notification(
            recipient_id=user_id,
            actor_id=actor_id,
            verb=verb,
            text=text,
            url=url,
            dedupe_key=dedupe_key,
            created_at=now,
        )
        row.clean_fields(exclude={"recipient", "actor"})  # FK checks would cost a query each
        rows.append(row)

    with transaction.atomic():
        if dedupe_key:
            created = _create_deduplicated(rows)
        else:
            created = Notification.objects.bulk_create(rows)
        if email:
            for notification in created:
                enqueue(send_email, notification.pk)
        # The recipients' unread badges update live once this commits.
        live_publish(
            kind=live_kinds.UNREAD_CHANGED,
            audience=[n.recipient_id for n in created],
            payload={},
        )
    for notification in created:
        notification.recipient = targets[notification.recipient_id]
    return created


def _create_deduplicated(rows: list[Notification]) -> list[Notification]:
    """Insert the rows whose (recipient, dedupe_key) is new; return only those.

    Usually two queries. If a concurrent call inserts the same key between our look and
    our insert, the unique constraint stops the bulk insert and we fall back to one
    ``get_or_create`` per row, which waits for the other transaction and sees its row.
    """
    key = rows[0].dedupe_key
    existing = set(
        Notification.objects.filter(
            dedupe_key=key, recipient_id__in=[r.recipient_id for r in rows]
        ).values_list("recipient_id", flat=True)
    )
    fresh = [r for r in rows if r.recipient_id not in existing]
    if not fresh:
        return []
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(fresh)
    except IntegrityError:
        pass
    created = []
    for row in fresh:
        notification, was_created = Notification.objects.get_or_create(
            recipient_id=row.recipient_id,
            dedupe_key=key,
            defaults={
                "actor_id": row.actor_id,
                "verb": row.verb,
                "text": row.text,
                "url": row.url,
                "created_at": row.created_at,
            },
        )
        if was_created:
            created.append(notification)
    return created


def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications read (all of them, or those ids).

    One UPDATE; other users' notifications are never touched. Returns how many changed.
    """
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    changed = unread.update(read_at=timezone.now())
    if changed:  # the user's other tabs update their badge
        live_publish(kind=live_kinds.UNREAD_CHANGED, audience=[user.pk], payload={})
    return changed


def notification_email_send(*, notification_id: int) -> bool:
    """E-mail one notification to its recipient, once. Returns whether a mail went out.

    Skipped when the recipient turned e-mail off, has no address or is inactive, or has
    already read it in the inbox. The row stays locked while sending, so two workers
    running the same task send one mail; a failed send rolls back and the task retries.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at is not None:
            return False
        recipient = notification.recipient
        if (
            not recipient.email_notifications
            or not recipient.email
            or not recipient.is_active
            or notification.read_at is not None
        ):
            return False
        _notification_email(notification).send()
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def _notification_email(notification: Notification) -> EmailMessage:
    site = settings.NEUVOKAS_SITE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "notification": notification,
            "verb_label": notification.verb_label,
            "url": site + notification.get_absolute_url(),
            "profile_url": site + reverse("accounts:profile"),
        }
        subject = render_to_string("emails/notification_subject.txt", context)
        body = render_to_string("emails/notification_body.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()), body=body, to=[notification.recipient.email]
    )
