from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.stories import selectors as story_selectors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The intranet front page: the latest success stories and quick links."""
    return render(
        request, "desk/home.html", {"latest_stories": story_selectors.latest_published(limit=5)}
    )
