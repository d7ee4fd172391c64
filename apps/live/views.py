"""The live stream: Server-Sent Events for the signed-in user, served asynchronously
(uvicorn), one connection per browser tab."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from . import selectors
from .hub import OVERFLOW, Event, Hub, get_hub


def _message(event_id: int, kind: str, payload: dict[str, object]) -> str:
    data = json.dumps({"id": event_id, "kind": kind, "payload": payload}, separators=(",", ":"))
    return f"id: {event_id}\ndata: {data}\n\n"


def _last_event_id(request: HttpRequest) -> int | None:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("last_event_id") or ""
    raw = raw.strip()
    if not raw.isdigit() or len(raw) > 18:
        return None
    return int(raw)


@require_GET
async def stream(request: HttpRequest) -> HttpResponseBase:
    """``text/event-stream`` of the events whose audience includes the user. A client
    that sends ``Last-Event-ID`` first gets the retained events it missed."""
    user = await request.auser()
    if not user.is_authenticated or not user.is_active:
        return HttpResponse(status=403)
    hub = get_hub()
    queue = hub.subscribe(user.pk)
    response = StreamingHttpResponse(
        _events(
            request=request,
            hub=hub,
            queue=queue,
            user_id=user.pk,
            last_event_id=_last_event_id(request),
        ),
        content_type="text/event-stream",
    )
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


def _still_signed_in(request: HttpRequest, user_id: int) -> bool:
    """The session still exists (not logged out or expired) and the user is active."""
    from django.contrib.auth import get_user_model

    key = request.session.session_key
    if key is None or not request.session.exists(key):
        return False
    return get_user_model().objects.filter(pk=user_id, is_active=True).exists()


async def _events(
    *,
    request: HttpRequest,
    hub: Hub,
    queue: asyncio.Queue[Event],
    user_id: int,
    last_event_id: int | None,
) -> AsyncIterator[str]:
    heartbeat = settings.NEUVOKAS_LIVE_HEARTBEAT_SECONDS
    ends_at = time.monotonic() + settings.NEUVOKAS_LIVE_MAX_STREAM_SECONDS
    try:
        # Tell the client how soon to reconnect, and that the stream is open (a comment
        # line, so the first bytes go out at once).
        yield f"retry: {settings.NEUVOKAS_LIVE_RETRY_MS}\n: open\n\n"
        replayed: set[int] = set()
        if last_event_id is not None:
            rows = await sync_to_async(
                lambda: list(
                    selectors.events_for_replay(user_id=user_id, last_event_id=last_event_id)
                )
            )()
            for row in rows:
                replayed.add(row.pk)
                yield _message(row.pk, row.kind, row.payload)
        while time.monotonic() < ends_at:
            try:
                event = await asyncio.wait_for(queue.get(), timeout=heartbeat)
            except TimeoutError:
                if not await sync_to_async(_still_signed_in)(request, user_id):
                    return
                yield ": heartbeat\n\n"
                continue
            if event is OVERFLOW:
                return
            # Filtered again at delivery: only the event's audience ever receives it.
            if user_id not in event.audience or event.id in replayed:
                continue
            yield _message(event.id, event.kind, event.payload)
    finally:
        hub.unsubscribe(user_id, queue)
