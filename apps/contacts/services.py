"""Writes of the contact log."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import privacy

from .models import ContactRecord, RecentEntryView

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.catalogue.models import Entry, Municipality, ServiceLine


def contact_record(
    *,
    advisor: User,
    submission_key: uuid.UUID,
    service_line: ServiceLine,
    channel: str,
    municipality: Municipality | None = None,
    entry: Entry | None = None,
    topic_text: str = "",
    solved: bool = False,
    consulted: bool = False,
    referred_to: str = "",
    anonymous: bool = False,
) -> tuple[ContactRecord, bool]:
    """Record one contact. Returns ``(record, created)``.

    The same ``submission_key`` from the same advisor (a double click, a resend after a
    lost response) returns the contact the first submission recorded, unchanged.
    """
    topic_text = " ".join((topic_text or "").split())
    privacy.ensure_no_personal_identity_code(topic_text, field="topic_text")
    if entry is None and not topic_text:
        raise ValidationError({"topic_text": _("Valitse aihe palveluista tai kirjoita oma aihe.")})

    existing = ContactRecord.objects.filter(advisor=advisor, submission_key=submission_key).first()
    if existing is not None:
        return existing, False
    record = ContactRecord(
        advisor=advisor,
        submission_key=submission_key,
        service_line=service_line,
        channel=channel,
        municipality=municipality,
        entry=entry,
        topic_text=topic_text,
        solved=solved,
        consulted=consulted,
        referred_to=referred_to,
        anonymous=anonymous,
    )
    # Uniqueness is left to the database: two simultaneous submits both pass a check.
    record.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            record.save(force_insert=True)
    except IntegrityError:
        existing = ContactRecord.objects.filter(
            advisor=advisor, submission_key=submission_key
        ).first()
        if existing is None:
            raise
        return existing, False
    return record, True


def entry_view_record(*, user: User, entry: Entry) -> None:
    """Remember that ``user`` opened ``entry`` now (one upsert, safe when concurrent)."""
    if not user.is_authenticated:
        return
    RecentEntryView.objects.bulk_create(
        [RecentEntryView(user=user, entry=entry, viewed_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "entry"],
        update_fields=["viewed_at"],
    )


def contact_records_keep_entry_topic(*, entry: Entry) -> int:
    """Before ``entry`` is deleted: every contact that cites it keeps the entry's (Finnish)
    title as its topic and lets go of the entry. Returns how many contacts.

    A contact records that a customer asked about something; deleting the card must not
    delete that fact, nor leave a contact without a topic (the ``contactrecord_has_topic``
    constraint). Reports group such contacts under the same title as before. An advisor's
    own topic text on a contact that also cited the entry gives way to the title, which is
    what the contact was reported under.
    """
    field = ContactRecord._meta.get_field("topic_text")
    title = (entry.title_fi or entry.title or entry.key)[: field.max_length]
    with transaction.atomic():
        return ContactRecord.objects.filter(entry=entry).update(topic_text=title, entry=None)
