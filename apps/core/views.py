from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
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
