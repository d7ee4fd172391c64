"""Sessions end after ``NEUVOKAS_SESSION_IDLE_MINUTES`` without activity.

Activity is a request the person made: a page, a form, a search as they type. Requests a
page makes by itself are not: htmx polling (``hx-trigger="every …"``; static/js/neuvokas.js
marks them with the ``X-Neuvokas-Background`` header) and the live stream under
``/live/``. Otherwise a board left open on an unattended desk would keep its session
alive all day. The last activity is written to the session at most once a minute, so
the idle time is kept to within a minute without a session write per request.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from apps.core.http import is_same_site_path

LAST_ACTIVITY_KEY = "neuvokas_last_activity"
BACKGROUND_HEADER = "X-Neuvokas-Background"
# The live stream (apps/live): open for minutes at a time, reconnecting by itself.
BACKGROUND_PATH_PREFIXES = ("/live/",)
WRITE_INTERVAL_SECONDS = 60


def is_background(request: HttpRequest) -> bool:
    """A request the page made by itself, not the person (polling, the live stream)."""
    if request.headers.get(BACKGROUND_HEADER):
        return True
    return request.path.startswith(BACKGROUND_PATH_PREFIXES)


def idle_limit_seconds() -> int:
    return int(settings.NEUVOKAS_SESSION_IDLE_MINUTES) * 60


class IdleSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_ACTIVITY_KEY)
            if isinstance(last, int | float) and now - last > idle_limit_seconds():
                return self._expire(request)
            if last is None or (
                not is_background(request) and now - last >= WRITE_INTERVAL_SECONDS
            ):
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)

    def _expire(self, request: HttpRequest) -> HttpResponse:
        """Sign out (``user_logged_out`` fires), then carry on as an anonymous request:
        a page goes to sign-in and comes back after it; htmx reloads the whole page
        there rather than swapping the sign-in page into a fragment."""
        logout(request)
        messages.info(
            request,
            _("Istuntosi päättyi, koska olit %(minutes)s minuuttia käyttämättä intranetiä.")
            % {"minutes": settings.NEUVOKAS_SESSION_IDLE_MINUTES},
        )
        htmx = HtmxDetails(request)  # HtmxMiddleware runs after this one
        if htmx:
            page = htmx.current_url_abs_path
            target = reverse("login")
            if page and is_same_site_path(page):
                target += "?" + urlencode({"next": page})
            return HttpResponseClientRedirect(target)
        return self.get_response(request)
