from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.stories import selectors as story_selectors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The intranet front page: the latest success stories and quick links."""
    return render(request, "home.html",
                  {"latest_stories": story_selectors.latest_published(limit=5)})


@require_GET
@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
