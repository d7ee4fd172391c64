"""The catalogue's reading pages, used by advisors mid-call.

Every page honours the municipality chosen in the session; ``?kunta=<code>`` sets it
and ``?kunta=`` clears it (all municipalities).
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from apps.core.http import AuthenticatedHttpRequest, is_same_site_path
from apps.core.permissions import require

from .. import permissions, selectors, services
from ..forms import CompareForm, EntryFilterForm
from ..models import Municipality

PAGE_SIZE = 50
PAGE_PARAM = "sivu"


def _chosen_municipality(request: AuthenticatedHttpRequest) -> Municipality | None:
    """Apply ``?kunta=`` to the session if present, then return the session's choice.

    An unknown code is ignored and the earlier choice stays.
    """
    param = selectors.municipality_param(request, request.GET.getlist(selectors.MUNICIPALITY_PARAM))
    if param.given and not param.unknown:
        services.municipality_remember(request, param.municipality)
    return selectors.current_municipality(request)


@require_GET
@require(permissions.can_view_catalogue)
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    municipality = _chosen_municipality(request)
    data = request.GET.copy()
    data[selectors.MUNICIPALITY_PARAM] = municipality.code if municipality else ""
    form = EntryFilterForm(
        data,
        municipalities=selectors.request_municipalities(request),
        target_groups=selectors.target_group_list(),
    )
    filters = selectors.EntryFilters(
        municipality=municipality, kind=form.kind, target_group=form.target_group, q=form.q_value
    )
    lines, total = selectors.service_line_counts(**filters)
    line = form.line_among(lines)
    page = Paginator(selectors.entry_list(line=line, **filters), PAGE_SIZE).get_page(
        request.GET.get(PAGE_PARAM)
    )
    template = "catalogue/home.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "form": form,
            "lines": lines,
            "line": line,
            "total": total,
            "page": page,
            "municipality": municipality,
            "page_param": PAGE_PARAM,
        },
    )


@require_POST
def set_municipality(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The header picker: remember the choice and go back to the same page."""
    param = selectors.municipality_param(request, request.POST.getlist("municipality"))
    services.municipality_remember(request, param.municipality)
    target = request.POST.get("next", "")
    if not is_same_site_path(target):
        return redirect("catalogue:home")
    return redirect(_without_params(target, selectors.MUNICIPALITY_PARAM, PAGE_PARAM))


def _without_params(url: str, *names: str) -> str:
    """The URL without the named query parameters (a stale ``?kunta=`` would undo the pick)."""
    parts = urlsplit(url)
    query = QueryDict(parts.query, mutable=True)
    for name in names:
        query.pop(name, None)
    return urlunsplit(parts._replace(query=query.urlencode()))


@require_GET
@require(permissions.can_view_catalogue)
def entry_detail(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    entry = get_object_or_404(selectors.entry_detail_queryset(), key=key)
    municipality = _chosen_municipality(request)
    return render(
        request,
        "catalogue/entry_detail.html",
        {
            "entry": entry,
            "municipality": municipality,
            "available_here": selectors.entry_is_available_in(entry, municipality),
            "contacts": selectors.contacts_for(entry, municipality),
            "open_reports": selectors.open_problem_reports(entry),
            "can_edit": permissions.can_edit_entry(request.user, entry),
            "can_review": permissions.can_review_entry(request.user, entry),
            "can_view_history": permissions.can_view_history(request.user, entry),
        },
    )


@require_GET
@require(permissions.can_view_catalogue)
def organisation_detail(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    organisation = get_object_or_404(selectors.organisation_detail_queryset(), key=key)
    municipality = _chosen_municipality(request)
    return render(
        request,
        "catalogue/organisation_detail.html",
        {
            "organisation": organisation,
            "municipality": municipality,
            "entries": selectors.organisation_entries(organisation, municipality=municipality),
        },
    )


@require_GET
@require(permissions.can_view_catalogue)
def compare(request: AuthenticatedHttpRequest) -> HttpResponse:
    municipality = _chosen_municipality(request)
    municipalities = selectors.request_municipalities(request)
    form = CompareForm(
        request.GET or None,
        lines=selectors.service_line_list(),
        target_groups=selectors.target_group_list(),
    )
    comparison = None
    if form.has_subject:
        comparison = selectors.municipality_comparison(
            municipalities=municipalities,
            line=form.line,
            target_group=form.target_group,
            kind=form.kind,
        )
    template = "catalogue/compare.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "form": form,
            "comparison": comparison,
            "municipality": municipality,
        },
    )
