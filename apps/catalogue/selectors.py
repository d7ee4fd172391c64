"""Reads of the catalogue. The one place that shapes catalogue querysets."""

from __future__ import annotations

from django.http import HttpRequest

from .models import Municipality

SESSION_MUNICIPALITY = "municipality"


def municipality_list() -> list[Municipality]:
    return list(Municipality.objects.order_by("name_fi"))


def current_municipality(request: HttpRequest) -> Municipality | None:
    code = request.session.get(SESSION_MUNICIPALITY)
    if not code:
        return None
    cached = getattr(request, "_current_municipality", None)
    if cached is not None and cached.code == code:
        return cached
    municipality = Municipality.objects.filter(code=code).first()
    request._current_municipality = municipality  # type: ignore[attr-defined]
    return municipality
