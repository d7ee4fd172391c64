"""Builders for contact-log test data (straight to the model: only set-up)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from apps.catalogue.models import Municipality, ServiceLine
from apps.contacts.models import Channel, ContactRecord


def contact(
    *,
    at: datetime.datetime,
    advisor: Any = None,
    line: str = "vammaispalvelut",
    channel: str = Channel.PHONE,
    municipality: str | None = None,
    topic_text: str = "",
    entry: Any = None,
    **fields: Any,
) -> ContactRecord:
    if entry is None and not topic_text:
        topic_text = "kuljetuspalvelu"
    return ContactRecord.objects.create(
        created_at=at,
        advisor=advisor,
        service_line=ServiceLine.objects.get(key=line),
        channel=channel,
        municipality=Municipality.objects.get(code=municipality) if municipality else None,
        topic_text=topic_text,
        entry=entry,
        submission_key=uuid.uuid4(),
        **fields,
    )
