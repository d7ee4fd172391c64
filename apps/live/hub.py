"""One listener per web process, fanning live events out to the connected streams.

The listener holds one asynchronous psycopg connection that ``LISTEN``s on
:data:`services.CHANNEL`. Each ``NOTIFY`` carries an event (or only its id, when large);
the hub puts it on the queue of every stream of every user in the event's audience. If
the database goes away the listener reconnects with a growing pause and, once back,
reads the events it missed from the table, so no connected user misses one.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psycopg
from asgiref.sync import sync_to_async
from django.db import close_old_connections, connection

from . import selectors
from .models import LiveEvent
from .services import CHANNEL

logger = logging.getLogger(__name__)

QUEUE_SIZE = 500
RECONNECT_PAUSES = (0.1, 0.5, 1.0, 2.0, 5.0)


@dataclass(frozen=True)
class Event:
    id: int
    kind: str
    audience: frozenset[int]
    payload: dict[str, Any]

    @classmethod
    def from_row(cls, row: LiveEvent) -> Event:
        return cls(row.pk, row.kind, frozenset(row.audience), dict(row.payload))


# Put on a stream's queue when it fell too far behind: the stream closes and the client
# reconnects, getting the rest by replay.
OVERFLOW = Event(0, "", frozenset(), {})


@dataclass
class Hub:
    loop: asyncio.AbstractEventLoop
    streams: dict[int, set[asyncio.Queue[Event]]] = field(default_factory=dict)
    last_id: int | None = None
    listening: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task[None] | None = None
    _seen: deque[int] = field(default_factory=lambda: deque(maxlen=2000))

    def subscribe(self, user_id: int) -> asyncio.Queue[Event]:
        queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=QUEUE_SIZE)
        self.streams.setdefault(user_id, set()).add(queue)
        if self._task is None or self._task.done():
            # A context of its own: the task outlives the request that started it (whose
            # context would send its database reads to that request's finished thread).
            self._task = self.loop.create_task(
                self._listen(), name="live-listener", context=contextvars.Context()
            )
        return queue

    def unsubscribe(self, user_id: int, queue: asyncio.Queue[Event]) -> None:
        queues = self.streams.get(user_id)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self.streams[user_id]

    def dispatch(self, event: Event) -> None:
        if event.id in self._seen:
            return
        self._seen.append(event.id)
        self.last_id = max(self.last_id or 0, event.id)
        for user_id in event.audience:
            for queue in tuple(self.streams.get(user_id, ())):
                try:
                    queue.put_nowait(event)
                except asyncio.QueueFull:
                    queue.get_nowait()
                    queue.put_nowait(OVERFLOW)

    async def _listen(self) -> None:
        failures = 0
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    **_connection_params(), autocommit=True
                ) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    if self.last_id is None:
                        self.last_id = await _read(selectors.last_event_id)
                    else:
                        await self._catch_up()
                    failures = 0
                    self.listening.set()
                    async for notice in conn.notifies():
                        await self._receive(notice.payload)
            except asyncio.CancelledError:
                raise
            except Exception:
                self.listening.clear()
                pause = RECONNECT_PAUSES[min(failures, len(RECONNECT_PAUSES) - 1)]
                failures += 1
                logger.warning(
                    "Live listener lost its connection; retrying in %ss", pause, exc_info=True
                )
                await asyncio.sleep(pause)

    async def _receive(self, raw: str) -> None:
        data = json.loads(raw)
        if "kind" in data:
            self.dispatch(
                Event(data["id"], data["kind"], frozenset(data["audience"]), data["payload"])
            )
            return
        event_id = int(data["id"])
        row = await _read(lambda: selectors.event_get(event_id=event_id))
        if row is not None:
            self.dispatch(Event.from_row(row))

    async def _catch_up(self) -> None:
        after = self.last_id or 0
        rows = await _read(lambda: list(selectors.events_after(event_id=after)))
        for row in rows:
            self.dispatch(Event.from_row(row))

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


async def _read[T](read: Callable[[], T]) -> T:
    """A database read from the listener, on a connection it does not keep (a kept one
    would be broken after a database restart)."""

    def run() -> T:
        close_old_connections()
        try:
            return read()
        finally:
            close_old_connections()

    return await sync_to_async(run)()


def _connection_params() -> dict[str, Any]:
    params = dict(connection.get_connection_params())
    for key in ("cursor_factory", "context", "prepare_threshold"):
        params.pop(key, None)
    return params


_hub: Hub | None = None


def get_hub() -> Hub:
    """This process's hub, bound to the running event loop (uvicorn runs one per
    worker process)."""
    global _hub
    loop = asyncio.get_running_loop()
    if _hub is None or _hub.loop is not loop:
        _hub = Hub(loop=loop)
    return _hub
