"""The live stream: Server-Sent Events for the signed-in user, served asynchronously
(uvicorn), one connection per browser tab."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Callable

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db import connection
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.http import HtmxHttpRequest, safe_next, signed_in_user

from . import selectors, services
from .forms import AlertsForm
from .hub import OVERFLOW, Event, Hub, get_hub

# How long a new stream waits for its process's listener (the first stream of a process
# starts it); after that it goes on without, and the listener catches up when it is back.
LISTENER_WAIT_SECONDS = 5.0


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
    if not isinstance(request, ASGIRequest):
        # Under WSGI (Django's test live_server) a stream would hold a worker thread:
        # 204 tells EventSource not to retry, and the page keeps polling.
        return HttpResponse(status=204)
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


async def _once[T](read: Callable[[], T]) -> T:
    """A database read from a stream, on a connection closed right after: an open stream
    must not hold a database connection for its whole life."""

    def run() -> T:
        try:
            return read()
        finally:
            connection.close()

    return await sync_to_async(run)()


async def _events(
    *,
    request: HttpRequest,
    hub: Hub,
    queue: asyncio.Queue[Event],
    user_id: int,
    last_event_id: int | None,
) -> AsyncIterator[str]:
    heartbeat = settings.NEUVOKAS_LIVE_HEARTBEAT_SECONDS
    session_key = request.session.session_key
    ends_at = time.monotonic() + settings.NEUVOKAS_LIVE_MAX_STREAM_SECONDS
    try:
        # Tell the client how soon to reconnect, and that the stream is open (a comment
        # line, so the first bytes go out at once).
        yield f"retry: {settings.NEUVOKAS_LIVE_RETRY_MS}\n: open\n\n"
        alerts = await _once(lambda: selectors.alerts_enabled(user_id=user_id))
        hello = json.dumps({"kind": "hello", "payload": {"alerts": alerts}})
        yield f"data: {hello}\n\n"
        # Events committed between this connection and the process's listener starting
        # to listen would reach nobody: once it listens, send this user's events after
        # the last one that existed when the stream opened (or after the client's
        # Last-Event-ID), then the queue; ids sent twice are skipped.
        overlap = last_event_id is not None
        since = last_event_id
        if since is None:
            since = await _once(selectors.last_event_id)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(hub.listening.wait(), timeout=LISTENER_WAIT_SECONDS)
        rows = await _once(
            lambda: list(
                selectors.events_for_replay(user_id=user_id, last_event_id=since, overlap=overlap)
            )
        )
        replayed: set[int] = set()
        for row in rows:
            replayed.add(row.pk)
            yield _message(row.pk, row.kind, row.payload)
        while time.monotonic() < ends_at:
            try:
                event = await asyncio.wait_for(queue.get(), timeout=heartbeat)
            except TimeoutError:
                if not await _once(
                    lambda: selectors.still_signed_in(session_key=session_key, user_id=user_id)
                ):
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


@require_http_methods(["GET", "POST"])
def alerts(request: HtmxHttpRequest) -> HttpResponse:
    """The user's opt-in to a browser notification and a beep for a waiting caller (the
    profile page loads the form; it works on its own too)."""
    user = signed_in_user(request)
    saved = False
    if request.method == "POST":
        form = AlertsForm(request.POST)
        if form.is_valid():
            services.alerts_set(user_id=user.pk, alerts=form.cleaned_data["alerts"])
            if not request.htmx:
                return redirect(safe_next(request.POST.get("next"), reverse("accounts:profile")))
            saved = True
    else:
        form = AlertsForm(initial={"alerts": selectors.alerts_enabled(user_id=user.pk)})
    template = "live/alerts.html"
    if request.htmx:
        template += "#alerts"
    return render(request, template, {"form": form, "saved": saved})
