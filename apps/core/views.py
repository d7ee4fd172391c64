from __future__ import annotations

import sys
import threading
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connection, connections
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
        renew_connection_pool()
        body = loader.get_template("503.html").render()
        return HttpResponse(body, status=503, headers={"Retry-After": "10"})
    return defaults.server_error(request)


def renew_connection_pool() -> None:
    """Drop this process's pool of database connections (settings: DJANGO_DB_POOL_MAX)
    after the database could not be reached. The pool would keep trying to reconnect in
    the background with a growing pause (seconds, then minutes), so requests could wait
    on it well after the database is back; the next request makes a new pool, which
    connects at once. The old pool is closed in the background: closing waits for its
    workers. Django keeps the pools per process in ``_connection_pools``."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    pools: dict[str, Any] = getattr(type(wrapper), "_connection_pools", {})
    pool = pools.pop(wrapper.alias, None)
    if pool is not None:
        threading.Thread(target=pool.close, name="close-db-pool", daemon=True).start()
