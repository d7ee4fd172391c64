"""``GET /api/v1/search``: the same ranked search as JSON.

Accepts the browser session or a personal token (``Authorization: Token <t>``, made
with ``manage.py create_api_token USERNAME``). Anything else gets 401.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import registry, selectors, services
from .models import SearchLog

DEFAULT_LIMIT = 10
MAX_QUERY = 200


def _authenticated_user(request: HttpRequest) -> Any | None:
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "token":
            return None
        token = selectors.api_token_get(raw.strip())
        if token is None:
            return None
        services.api_token_touch(token=token)
        return token.user
    if request.user.is_authenticated:
        return request.user
    return None


def _unauthorized() -> JsonResponse:
    response = JsonResponse({"detail": "Authentication required: session or "
                                       "'Authorization: Token <token>'."}, status=401)
    response["WWW-Authenticate"] = 'Token realm="neuvokas"'
    return response


@never_cache
@login_not_required  # authenticates itself: session or token, else 401 (no login redirect)
@require_GET
def search(request: HttpRequest) -> JsonResponse:
    user = _authenticated_user(request)
    if user is None:
        return _unauthorized()
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    municipality = request.GET.get("municipality", "").strip()[:3]
    line = request.GET.get("line", "").strip()[:50]
    doc_type = request.GET.get("type", "").strip()
    try:
        limit = max(1, min(int(request.GET.get("limit", DEFAULT_LIMIT)), selectors.MAX_LIMIT))
    except ValueError:
        return JsonResponse({"detail": "limit must be a number"}, status=400)
    visible = registry.visible_types(user)
    if doc_type and doc_type not in selectors.TYPES:
        return JsonResponse({"detail": f"unknown type {doc_type!r}"}, status=400)
    types = [t for t in visible if not doc_type or t == doc_type]
    result = selectors.SearchResult(query=query)
    if query and types:
        result = selectors.search(query=query, municipality=municipality, line=line,
                                  doc_types=types, limit=limit,
                                  language=get_language() or "fi")
        services.search_log_create(query=query, user=user, source=SearchLog.Source.API,
                                   result_count=result.total, municipality=municipality,
                                   line=line, doc_type=doc_type,
                                   language=get_language() or "",
                                   corrected=bool(result.corrections))
    return JsonResponse({
        "query": query,
        "total": result.total,
        "corrected_query": result.corrected_query,
        "results": [
            {
                "type": hit.doc_type,
                "key": hit.key,
                "title": hit.title,
                "url": request.build_absolute_uri(hit.url),
                "snippet": str(hit.snippet),
                "organisation": hit.organisation,
                "municipalities": hit.municipalities,
            }
            for hit in result.hits
        ],
    }, json_dumps_params={"ensure_ascii": False})
