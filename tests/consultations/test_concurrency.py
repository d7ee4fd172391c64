"""Two people at once: each in its own thread and database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from apps.consultations import services
from apps.consultations.models import Answer, Thread
from tests.consultations import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data_tx")]


def run_at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Start every call at the same moment; return each result or raised exception."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=30)
    return results


def test_answer_post_concurrent_answers_are_both_kept(advisor, colleague, manager):
    thread = factories.thread(author=advisor)

    results = run_at_once(
        lambda: services.answer_post(thread=thread, author=colleague, body="Kollegan vastaus"),
        lambda: services.answer_post(thread=thread, author=manager, body="Esihenkilön vastaus"),
    )

    assert all(isinstance(r, Answer) for r in results), results
    assert sorted(Answer.objects.values_list("body", flat=True)) == [
        "Esihenkilön vastaus",
        "Kollegan vastaus",
    ]
    thread.refresh_from_db()
    assert thread.last_activity_at == max(a.created_at for a in Answer.objects.all())


def test_thread_claim_concurrent_claims_one_wins(advisor, colleague, manager):
    thread = factories.thread(author=advisor)

    results = run_at_once(
        lambda: services.thread_claim(thread=thread, user=colleague),
        lambda: services.thread_claim(thread=thread, user=manager),
    )

    winners = [r for r in results if isinstance(r, Thread)]
    losers = [r for r in results if not isinstance(r, Thread)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "selvittää jo" in str(losers[0])
    thread.refresh_from_db()
    assert thread.claimed_by == winners[0].claimed_by


def test_thread_update_concurrent_edits_one_conflicts(advisor, manager):
    thread = factories.thread(author=advisor, title="Alku")

    results = run_at_once(
        lambda: services.thread_update(
            thread=thread, editor=advisor, base_version=1, title="Kysyjän", body="a"
        ),
        lambda: services.thread_update(
            thread=thread, editor=manager, base_version=1, title="Esihenkilön", body="b"
        ),
    )

    conflicts = [r for r in results if isinstance(r, services.EditConflict)]
    assert len(conflicts) == 1, results
    thread.refresh_from_db()
    assert thread.version == 2
    assert thread.revisions.count() == 2  # the original and the one that won


def test_callback_take_concurrent_takes_one_wins(advisor, colleague, manager):
    line = factories.line()
    colleague.service_lines.add(line)
    manager.service_lines.add(line)
    callback = factories.callback(requester=advisor, service_line=line)

    results = run_at_once(
        lambda: services.callback_take(callback=callback, user=colleague),
        lambda: services.callback_take(callback=callback, user=manager),
    )

    assert sum(1 for r in results if isinstance(r, Exception)) == 1, results
    assert callback.events.filter(kind="taken").count() == 1
