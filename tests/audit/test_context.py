from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from django.http import HttpResponse

from apps.audit import context


def test_middleware_keeps_the_request_for_the_length_of_a_sync_request(rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.61")
    seen = []

    def view(req):
        seen.append(context.client_ip(context.current_request()))
        return HttpResponse()

    context.RequestContextMiddleware(view)(request)

    assert seen == ["10.0.0.61"]
    assert context.current_request() is None


def test_middleware_keeps_the_request_for_an_async_view_too(rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.62")
    seen = []

    async def view(req):
        seen.append(context.client_ip(context.current_request()))
        return HttpResponse()

    middleware = context.RequestContextMiddleware(view)
    # In a thread of its own: after the browser tests, Playwright's event loop runs in this
    # thread, and neither asyncio.run nor async_to_sync will start inside it.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, middleware(request)).result()

    assert seen == ["10.0.0.62"]
    assert context.current_request() is None


def test_no_request_no_address_no_user():
    assert context.client_ip(None) is None
    assert context.current_user() is None
