"""Request guards that run before any view.

``RefuseUnstorableInputMiddleware`` answers 400 to a request whose path, query string,
form fields or cookies hold a character PostgreSQL text cannot store: the NUL character
(``\\x00``; psycopg raises ``DataError`` for it, which would be a 500 wherever the value
reaches a query) and lone UTF-16 surrogates (not encodable as UTF-8). Checking once here
covers every view, present and future, instead of each parser in turn.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

# What a PostgreSQL text value (UTF-8) cannot hold.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
API_PREFIX = "/api/"


def has_unstorable(values: Iterable[str]) -> bool:
    return any(UNSTORABLE.search(v) for v in values)


def _request_values(request: HttpRequest) -> Iterable[str]:
    yield request.path
    yield request.path_info
    for key, values in request.GET.lists():
        yield key
        yield from values
    for key, value in request.COOKIES.items():
        yield key
        yield value
    if request.method == "POST":
        # Form fields only (not uploaded files, which are stored as files, not text).
        for key, values in request.POST.lists():
            yield key
            yield from values


class RefuseUnstorableInputMiddleware:
    """400 for input no database text column can hold (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_unstorable(_request_values(request)):
            return refused(request)
        return self.get_response(request)


def refused(request: HttpRequest) -> HttpResponse:
    message = _(
        "Pyynnössä on merkki, jota ei voi käsitellä (esimerkiksi NUL-merkki). "
        "Poista se ja yritä uudelleen."
    )
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            {"detail": message}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
