"""The search pages: the full results page, the header's live results, and the
redirect that records which result was opened."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from apps.core.http import HtmxHttpRequest, is_same_site_path

from . import registry, selectors, services
from .models import SearchLog

PAGE_LIMIT = 30
LIVE_LIMIT = 6
MAX_QUERY = 200
LINE_PARAM = "linja"
TYPE_PARAM = "tyyppi"


@dataclass
class Filters:
    municipality: Any  # a registered municipality (registry.Facets) or None
    line: Any  # a registered line or None
    doc_type: str


def _filters(request: HtmxHttpRequest, lines: list[Any]) -> Filters:
    """``?kunta=`` changes the advisor's municipality (as on the catalogue pages);
    ``?linja=`` and ``?tyyppi=`` narrow this search only."""
    facets = registry.facets()
    param = facets.municipality_param(request, request.GET.getlist(facets.query_param))
    if param.given and not param.unknown:
        facets.remember_municipality(request, param.municipality)
    municipality = facets.current_municipality(request)
    key = request.GET.get(LINE_PARAM, "").strip()
    line = next((li for li in lines if li.key == key), None)
    doc_type = request.GET.get(TYPE_PARAM, "").strip()
    if doc_type not in registry.doc_types():
        doc_type = ""
    return Filters(municipality, line, doc_type)


def _run(
    request: HtmxHttpRequest,
    *,
    query: str,
    filters: Filters,
    limit: int,
    source: str,
    typing: bool = False,
) -> tuple[selectors.SearchResult, SearchLog | None]:
    visible = registry.visible_types(request.user)
    types = [filters.doc_type] if filters.doc_type in visible else visible
    if filters.doc_type and filters.doc_type not in visible:
        types = []
    if not query or not types:
        return selectors.SearchResult(query=query), None
    result = selectors.search(
        query=query,
        municipality=filters.municipality.code if filters.municipality else "",
        line=filters.line.key if filters.line else "",
        doc_types=types,
        limit=limit,
        language=get_language() or "fi",
        typing=typing,
    )
    log = services.search_log_create(
        query=query,
        user=request.user,
        source=source,
        result_count=result.total,
        municipality=filters.municipality.code if filters.municipality else "",
        line=filters.line.key if filters.line else "",
        doc_type=filters.doc_type,
        language=get_language() or "",
        corrected=bool(result.corrections),
        paths={hit.key: hit.path for hit in result.hits},
    )
    return result, log


@require_GET
def results(request: HtmxHttpRequest) -> HttpResponse:
    """The full results page; its filter form swaps ``#search-results`` through htmx."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    lines = registry.facets().lines()
    filters = _filters(request, lines)
    result, log = _run(
        request, query=query, filters=filters, limit=PAGE_LIMIT, source=SearchLog.Source.PAGE
    )
    template = "search/results.html"
    if request.htmx and request.htmx.target == "search-results":
        template += "#results"
    return render(
        request,
        template,
        {
            "query": query,
            "result": result,
            "details": registry.hit_details(result.hits, municipality=filters.municipality),
            "log": log,
            "filters": filters,
            "lines": lines,
            "types": registry.doc_type_choices(),
            "municipality": filters.municipality,
            "municipality_param": registry.facets().query_param,
            "line_param": LINE_PARAM,
            "type_param": TYPE_PARAM,
        },
    )


@require_GET
def live(request: HtmxHttpRequest) -> HttpResponse:
    """The header's results-as-you-type list (an htmx fragment)."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    filters = Filters(registry.facets().current_municipality(request), None, "")
    result, log = _run(
        request,
        query=query,
        filters=filters,
        limit=LIVE_LIMIT,
        source=SearchLog.Source.LIVE,
        typing=True,
    )
    return render(
        request,
        "search/live.html",
        {"query": query, "result": result, "log": log, "municipality": filters.municipality},
    )


@require_GET
def open_result(request: HtmxHttpRequest, log_id: int, position: int) -> HttpResponse:
    """Record that result ``position`` of a logged search was opened, then go there."""
    target = request.GET.get("to", "")
    if not is_same_site_path(target):
        return HttpResponseBadRequest("bad target")
    services.search_log_open(
        log_id=log_id,
        position=position,
        url=target,
        key=request.GET.get("k", ""),
        user=request.user,
    )
    return redirect(target)
