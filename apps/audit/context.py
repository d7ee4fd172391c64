"""The request being served, for audit records made deep inside services and signal
receivers that are not handed the request.

:class:`RequestContextMiddleware` keeps the current request in a context variable for
the length of the request (contextvars follow the request through asgiref's thread
hops). Outside a request (Celery tasks, management commands) there is none: the IP is
empty and a signal's actor is the system (``None``).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponseBase

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


def current_request() -> HttpRequest | None:
    return _request.get()


def client_ip(request: HttpRequest | None) -> str | None:
    """``REMOTE_ADDR`` as the server sets it: behind the reverse proxy, the application
    server takes it from the proxy's forwarded header (trusted from the proxy only)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def current_user() -> AbstractBaseUser | None:
    """The signed-in user of the current request, if any."""
    request = _request.get()
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return user  # type: ignore[no-any-return]


class RequestContextMiddleware:
    """Sync and async alike, so it never forces an async view (the live stream) into a
    thread."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if iscoroutinefunction(self):
            return self.__acall__(request)
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        token = _request.set(request)
        try:
            return await self.get_response(request)  # type: ignore[no-any-return]
        finally:
            _request.reset(token)
