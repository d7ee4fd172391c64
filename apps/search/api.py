"""``GET /api/v1/search``: the same ranked search as JSON.

Accepts the browser session or a personal token (``Authorization: Token <t>``, made
with ``manage.py create_api_token USERNAME``). Anything else gets 401. An unknown
``type``, ``municipality`` or ``line``, or a ``limit`` that is no number, is a 400.
``GET /api/v1/openapi.json`` describes the API (OpenAPI 3), behind the same login.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.accounts.authentication import api_user

from . import openapi, registry, selectors, services
from .models import SearchLog

DEFAULT_LIMIT = 10
MAX_QUERY = 200


def _unauthorized() -> JsonResponse:
    response = JsonResponse(
        {"detail": "Authentication required: session or 'Authorization: Token <token>'."},
        status=401,
    )
    response["WWW-Authenticate"] = 'Token realm="neuvokas"'
    return response


def _bad_request(detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=400, json_dumps_params={"ensure_ascii": False})


def municipality_codes() -> list[str]:
    return [m.code for m in registry.facets().municipalities()]


def line_keys() -> list[str]:
    return [line.key for line in registry.facets().lines()]


@never_cache
@login_not_required  # authenticates itself: session or token, else 401 (no login redirect)
@require_GET
def openapi_schema(request: HttpRequest) -> JsonResponse:
    """The OpenAPI 3 description of this API, behind the same authentication."""
    if api_user(request) is None:
        return _unauthorized()
    schema = openapi.search_api(
        municipalities=municipality_codes(),
        lines=line_keys(),
        types=registry.doc_types(),
        default_limit=DEFAULT_LIMIT,
        max_limit=selectors.MAX_LIMIT,
        max_query=MAX_QUERY,
    )
    return JsonResponse(schema, json_dumps_params={"ensure_ascii": False})


@never_cache
@login_not_required  # authenticates itself: session or token, else 401 (no login redirect)
@require_GET
def search(request: HttpRequest) -> JsonResponse:
    user = api_user(request)
    if user is None:
        return _unauthorized()
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    param = registry.facets().municipality_param(request, request.GET.getlist("municipality"))
    municipality = param.municipality.code if param.municipality is not None else ""
    line = request.GET.get("line", "").strip()
    doc_type = request.GET.get("type", "").strip()
    try:
        limit = max(1, min(int(request.GET.get("limit", DEFAULT_LIMIT)), selectors.MAX_LIMIT))
    except ValueError:
        return _bad_request("limit must be a number")
    visible = registry.visible_types(user)
    if doc_type and doc_type not in registry.doc_types():
        return _bad_request(f"unknown type {doc_type[:50]!r}")
    if param.unknown:
        given = ",".join(request.GET.getlist("municipality"))
        return _bad_request(f"unknown municipality {given[:50]!r}")
    if line and line not in line_keys():
        return _bad_request(f"unknown line {line[:50]!r}")
    types = [t for t in visible if not doc_type or t == doc_type]
    result = selectors.SearchResult(query=query)
    if query and types:
        result = selectors.search(
            query=query,
            municipality=municipality,
            line=line,
            doc_types=types,
            limit=limit,
            language=get_language() or "fi",
        )
        services.search_log_create(
            query=query,
            user=user,
            source=SearchLog.Source.API,
            result_count=result.total,
            municipality=municipality,
            line=line,
            doc_type=doc_type,
            language=get_language() or "",
            corrected=bool(result.corrections),
            paths={hit.key: hit.path for hit in result.hits},
        )
    return JsonResponse(
        {
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
        },
        json_dumps_params={"ensure_ascii": False},
    )
