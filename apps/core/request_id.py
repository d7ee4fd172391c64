"""A request id on every log line of a web request and of the tasks it enqueued.

* ``RequestIdMiddleware`` takes the proxy's ``X-Request-ID`` when it is sane (1-64
  letters, digits, ``-``, ``_``, ``.``), else makes one (32 hex digits), keeps it in a
  context variable for the request and echoes it in the response's ``X-Request-ID``.
* ``RequestIdFilter`` (on the log handlers, settings ``LOGGING``) copies it onto every
  record as ``request_id`` (``"-"`` outside a request or task).
* Celery: ``before_task_publish`` puts it in the message headers of every task enqueued
  while it is set, and ``task_prerun`` sets it in the worker for the task's run
  (``task_postrun`` clears it), so the task's log lines carry the same id.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from celery import signals
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
MESSAGE_HEADER = "neuvokas_request_id"
SANE = re.compile(r"[A-Za-z0-9._-]{1,64}")
NONE = "-"
access_logger = logging.getLogger("neuvokas.request")

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def accept_or_make(value: str | None) -> str:
    """The proxy's id if it is sane, else a new one."""
    if value and SANE.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Sets the request id, logs one ``neuvokas.request`` line per request (method, path
    without the query string: search words are free text, status, duration) and echoes
    the id in the response.

    The id is cleared when the response is closed (``request_finished``), not when the
    middleware returns: Django logs 4xx/5xx responses (``django.request``) after that,
    and those lines carry it too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = accept_or_make(request.META.get(META_KEY))
        request_id.set(rid)
        started = time.monotonic()
        response = self.get_response(request)
        response[HEADER] = rid
        access_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
            },
        )
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id``; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get() or NONE
        # Django's own lines (django.request, django.security) carry the request: log its
        # method and path only, never the query string (search words are free text).
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            record.request = f"{request.method} {request.path}"
        return True


@receiver(request_finished)
def _clear_after_response(**_: Any) -> None:
    request_id.set(None)


def _publish_with_request_id(headers: dict[str, Any] | None = None, **_: Any) -> None:
    rid = request_id.get()
    if rid and headers is not None:
        headers.setdefault(MESSAGE_HEADER, rid)


def _run_with_request_id(task: Any = None, **_: Any) -> None:
    rid = getattr(task.request, MESSAGE_HEADER, None) if task is not None else None
    request_id.set(rid if isinstance(rid, str) and SANE.fullmatch(rid) else None)


def _clear_request_id(**_: Any) -> None:
    request_id.set(None)


signals.before_task_publish.connect(_publish_with_request_id)
signals.task_prerun.connect(_run_with_request_id)
signals.task_postrun.connect(_clear_request_id)
