from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults
from django.views.decorators.http import require_GET

from . import health as checks


@require_GET
@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Touches no database."""
    return JsonResponse({"status": "ok"})


@require_GET
@login_not_required
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: database, broker, and worker and beat seen recently; 200 or 503."""
    states = checks.readiness()
    ready = all(state == checks.OK for state in states.values())
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": states},
        status=200 if ready else 503,
        headers={"Cache-Control": "no-store"},
    )


DATABASE_DOWN = (OperationalError, InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``. A database that cannot be reached (restarting, failing over) is a
    503 with a page that says to try again in a moment; anything else Django's plain 500.
    Neither touches the database or shows a traceback; the error is logged as usual."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN):
        body = loader.get_template("503.html").render()
        return HttpResponse(body, status=503, headers={"Retry-After": "10"})
    return defaults.server_error(request)
