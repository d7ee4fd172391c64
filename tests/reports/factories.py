"""Builders for report fixtures: rows with exact timestamps, straight to the models."""

from __future__ import annotations

import datetime
import itertools
from typing import Any
from zoneinfo import ZoneInfo

from apps.catalogue.models import ServiceLine
from apps.consultations.models import Answer, Callback, Thread
from apps.search.models import SearchLog
from apps.stories.models import Story, Theme

HELSINKI = ZoneInfo("Europe/Helsinki")
_seq = itertools.count(1)


def at(*args: int) -> datetime.datetime:
    """A Finnish wall-clock time."""
    return datetime.datetime(*args, tzinfo=HELSINKI)


def hours(n: float) -> datetime.timedelta:
    return datetime.timedelta(hours=n)


def thread(
    *,
    asked: datetime.datetime,
    line: str = "vammaispalvelut",
    author: Any = None,
    answers: tuple[datetime.datetime, ...] = (),
    comments: tuple[datetime.datetime, ...] = (),
    solved: datetime.datetime | None = None,
) -> Thread:
    created = Thread.objects.create(
        title=f"Kysymys {next(_seq)}",
        body="Miten?",
        service_line=ServiceLine.objects.get(key=line),
        author=author,
    )
    Thread.objects.filter(pk=created.pk).update(created_at=asked)
    made = []
    for when, kind in [
        *((a, Answer.Kind.ANSWER) for a in answers),
        *((c, Answer.Kind.COMMENT) for c in comments),
    ]:
        answer = Answer.objects.create(thread=created, author=author, body="Näin.", kind=kind)
        Answer.objects.filter(pk=answer.pk).update(created_at=when)
        made.append(answer)
    if solved is not None:
        Thread.objects.filter(pk=created.pk).update(
            status=Thread.Status.SOLVED, solution=made[0], solved_at=solved
        )
    created.refresh_from_db()
    return created


def callback(
    *,
    due: datetime.datetime,
    line: str | None = "vammaispalvelut",
    assignee: Any = None,
    done: datetime.datetime | None = None,
) -> Callback:
    return Callback.objects.create(
        service_line=ServiceLine.objects.get(key=line) if line else None,
        assignee=assignee,
        due_at=due,
        reason="Soita takaisin.",
        status=Callback.Status.DONE if done else Callback.Status.OPEN,
        done_at=done,
    )


def search(
    *,
    when: datetime.datetime,
    query: str,
    results: int = 3,
    opened: bool = False,
    source: str = SearchLog.Source.PAGE,
    path: str = "",
) -> SearchLog:
    log = SearchLog.objects.create(
        query=query,
        source=source,
        result_count=results,
        opened_at=when if opened else None,
        opened_position=1 if opened else None,
        opened_path=path if opened else "",
    )
    SearchLog.objects.filter(pk=log.pk).update(created_at=when)
    return log


def story(
    *,
    published: datetime.datetime | None,
    themes: tuple[str, ...] = (),
    unit: str = "",
    state: str = Story.State.PUBLISHED,
    **impact: Any,
) -> Story:
    created = Story.objects.create(
        title=f"Tarina {next(_seq)}", state=state, unit=unit, published_at=published, **impact
    )
    created.themes.set([Theme.objects.get(key=key) for key in themes])
    return created
