"""Helpers the tests share: waiting for a state another thread or process reaches, and
for the Celery test worker to finish what was enqueued. The fixtures that go with them
(``celery_config``, ``current_celery_app``, ``reference_data_tx``) are in tests/conftest.py.

No test sleeps for a fixed time to let something happen: it waits for the event, or
asserts on state the event guarantees (tests/test_suite_hygiene.py checks this).
"""

from __future__ import annotations

import time
from collections.abc import Callable

POLL_INTERVAL = 0.05


def poll(
    condition: Callable[[], object], timeout: float = 10.0, interval: float = POLL_INTERVAL
) -> bool:
    """Evaluate ``condition`` until it is true or ``timeout`` seconds have passed; say
    whether it became true. For a state only another thread or process can reach (a
    worker's commit, a session waiting for a lock), which sends no event of its own."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def wait_for(
    condition: Callable[[], object],
    timeout: float = 10.0,
    *,
    what: str = "the worker",
    details: Callable[[], str] | None = None,
    interval: float = POLL_INTERVAL,
) -> None:
    """Wait until ``condition`` is true; fail with ``what`` (and ``details()``, e.g. a
    log's tail) after ``timeout`` seconds."""
    if not poll(condition, timeout, interval):
        message = f"timed out waiting for {what}"
        raise AssertionError(f"{message}\n{details()}" if details else message)


def drain_worker(app, rounds: int = 1, timeout: float = 20.0) -> None:
    """Wait until the ``celery_worker`` has run every task enqueued so far.

    Its pool is ``solo``: one task at a time, in the order they were enqueued. So once a
    ``celery.ping`` enqueued now has answered, every task enqueued before it has run, and
    a test can then assert that something did *not* happen. Each further round also
    covers the tasks that those tasks enqueued (a fan-out one level deeper)."""
    ping = app.tasks["celery.ping"]
    for _ in range(rounds):
        assert ping.delay().get(timeout=timeout) == "pong"
