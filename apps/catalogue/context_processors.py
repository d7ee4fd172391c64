from __future__ import annotations

from django.http import HttpRequest

from . import selectors


def catalogue(request: HttpRequest) -> dict[str, object]:
    """The municipality the advisor has chosen, and the choices, for every page."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "current_municipality": selectors.current_municipality(request),
        "all_municipalities": selectors.request_municipalities(request),
    }
