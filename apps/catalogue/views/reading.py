from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from apps.core.http import HtmxHttpRequest

from .. import selectors
from ..models import Entry, Municipality, Organisation


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    entries = Entry.objects.all()[:50]
    return render(request, "catalogue/home.html", {"entries": entries})


@require_POST
def set_municipality(request: HtmxHttpRequest) -> HttpResponse:
    code = request.POST.get("municipality", "")
    if code and Municipality.objects.filter(code=code).exists():
        request.session[selectors.SESSION_MUNICIPALITY] = code
    else:
        request.session.pop(selectors.SESSION_MUNICIPALITY, None)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "catalogue:home"
    return redirect(target)


@require_GET
def entry_detail(request: HtmxHttpRequest, key: str) -> HttpResponse:
    entry = get_object_or_404(Entry, key=key)
    return render(request, "catalogue/entry_detail.html", {"entry": entry})


@require_GET
def organisation_detail(request: HtmxHttpRequest, key: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, key=key)
    return render(request, "catalogue/organisation_detail.html", {"organisation": organisation})


@require_GET
def compare(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "catalogue/compare.html", {})
