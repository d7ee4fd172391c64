"""Helpers the tests share: waiting for a state another thread or process reaches, and
for the Celery test worker to finish what was enqueued. The fixtures that go with them
(``celery_config``, ``current_celery_app``, ``reference_data_tx``) are in tests/conftest.py.

No test sleeps for a fixed time to let something happen: it waits for the event, or
asserts on state the event guarantees (tests/test_suite_hygiene.py checks this).
"""

from __future__ import annotations

import re
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


def shows_phone(text: str, phone: str) -> bool:
    """Whether ``text`` shows ``phone`` or a part of it: two or more of its digit groups
    side by side, however separated ("040 765", "765-4321", "0407654321").

    A short digit run alone is no evidence: random tokens (CSRF, ids) and timestamps hold
    "765" by chance now and then, and a test looking for it fails at random."""
    groups = re.findall(r"\d+", phone)
    runs = [
        r"[\s-]?".join(groups[first : last + 1])
        for first in range(len(groups))
        for last in range(first + 1, len(groups))
    ]
    if groups and groups[0].startswith("0"):  # 040 … as +358 40 …
        national = [groups[0][1:], *groups[1:]]
        runs += [r"\+?358[\s-]?" + r"[\s-]?".join(national[:n]) for n in (2, len(national))]
    return any(re.search(rf"(?<![0-9A-Za-z]){run}(?![0-9])", text) for run in runs)
