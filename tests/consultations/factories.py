"""Builders for consultation test data, going through the services where that is the
point of the code under test, straight to the models where it is only set-up."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from apps.catalogue.models import ServiceLine
from apps.consultations.models import Answer, Callback, Thread, ThreadRevision, Urgency

_seq = itertools.count(1)


def line(key: str = "vammaispalvelut") -> ServiceLine:
    return ServiceLine.objects.get(key=key)


def thread(
    *,
    author: Any,
    title: str | None = None,
    body: str = "Miten tämä menee?",
    service_line: ServiceLine | None = None,
    urgency: str = Urgency.NONE,
    **fields: Any,
) -> Thread:
    n = next(_seq)
    created = Thread.objects.create(
        author=author,
        title=title or f"Kysymys {n}",
        body=body,
        service_line=service_line or line(),
        urgency=urgency,
        **fields,
    )
    ThreadRevision.objects.create(
        thread=created, number=1, title=created.title, body=body, editor=author
    )
    return created


def answer(
    *, thread: Thread, author: Any, body: str = "Näin se menee.", kind: str = Answer.Kind.ANSWER
) -> Answer:
    return Answer.objects.create(thread=thread, author=author, body=body, kind=kind)


def solved_thread(
    *,
    author: Any,
    answerer: Any,
    title: str = "Omaishoidon tuen hakeminen",
    body: str = "Mistä omaishoidon tukea haetaan?",
    solution: str = "Hakemus tehdään hyvinvointialueen lomakkeella.",
    **fields: Any,
) -> Thread:
    created = thread(author=author, title=title, body=body, **fields)
    a = answer(thread=created, author=answerer, body=solution)
    created.solution, created.status = a, Thread.Status.SOLVED
    created.solved_by, created.solved_at = author, timezone.now()
    created.save()
    return created


def callback(
    *,
    requester: Any,
    assignee: Any = None,
    service_line: ServiceLine | None = None,
    phone: str = "040 123 4567",
    reason: str = "Kysyy kuljetuspalvelusta.",
    due_at: datetime.datetime | None = None,
    **fields: Any,
) -> Callback:
    if assignee is None and service_line is None:
        service_line = line()
    return Callback.objects.create(
        requester=requester,
        assignee=assignee,
        service_line=service_line,
        phone=phone,
        reason=reason,
        due_at=due_at or timezone.now() + datetime.timedelta(hours=2),
        **fields,
    )
