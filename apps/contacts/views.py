"""Recording a contact: a panel opened from any page (htmx, the ``c`` key) and, without
JavaScript, a page of its own that returns to where the advisor was."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.catalogue import permissions as catalogue_permissions
from apps.catalogue import selectors as catalogue_selectors
from apps.catalogue.models import Entry
from apps.core.http import AuthenticatedHttpRequest, safe_next
from apps.core.permissions import require

from . import permissions, selectors, services
from .forms import KEPT_FIELDS, ContactForm

TEMPLATE = "contacts/record.html"


def _next_url(request: AuthenticatedHttpRequest) -> str:
    return safe_next(request.POST.get("next") or request.GET.get("next"))


def _context(request: AuthenticatedHttpRequest, form: ContactForm, **extra: Any) -> dict[str, Any]:
    topic_q = request.POST.get("topic_q") or request.GET.get("topic_q", "")
    return {
        "form": form,
        "tally": selectors.day_tally(request.user),
        "recent_entries": selectors.recent_entries(request.user),
        "topic_q": topic_q,
        "topic_results": selectors.topic_search(topic_q),
        "next": _next_url(request),
        **extra,
    }


def _first_form(request: AuthenticatedHttpRequest) -> ContactForm:
    municipality = catalogue_selectors.current_municipality(request)
    initial: dict[str, Any] = {
        "service_line": selectors.default_line(request.user),
        "municipality": municipality.code if municipality else None,
    }
    initial.update(ContactForm.initial_from(request.GET))
    return ContactForm.fresh(initial=initial)


@require_http_methods(["GET", "POST"])
@require(permissions.can_record_contact)
def record(request: AuthenticatedHttpRequest) -> HttpResponse:
    template = TEMPLATE + "#panel" if request.htmx else TEMPLATE
    if request.method == "GET":
        return render(request, template, _context(request, _first_form(request)))

    if request.POST.get("search_topic"):
        # The no-JavaScript topic search: show the results, keep what was filled in.
        form = ContactForm(initial=ContactForm.initial_from(request.POST))
        return render(request, template, _context(request, form))
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            _contact, created = services.contact_record(
                advisor=request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            note = (
                _("Yhteydenotto kirjattu.")
                if created
                else _("Tämä yhteydenotto oli jo kirjattu; sitä ei kirjattu uudelleen.")
            )
            kept = {name: form.cleaned_data[name] for name in KEPT_FIELDS}
            if request.htmx:
                return render(
                    request,
                    template,
                    _context(request, ContactForm.fresh(initial=kept), saved_note=note),
                )
            messages.success(request, note)
            return redirect(_next_url(request) or "contacts:record")
    return render(request, template, _context(request, form))


@require_GET
@require(permissions.can_record_contact)
def topic_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The topic search's results (radio buttons in the contact form)."""
    if not request.htmx:
        return redirect(f"{reverse('contacts:record')}?{request.GET.urlencode()}")
    return render(request, TEMPLATE + "#topic-results", _context(request, ContactForm()))


@require_POST
@require(catalogue_permissions.can_view_catalogue)
def entry_viewed(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """Remember that the advisor opened a catalogue entry, so the contact form offers it
    first. The entry page posts here once loaded; its own GET writes nothing."""
    entry = get_object_or_404(Entry, key=key)
    services.entry_view_record(user=request.user, entry=entry)
    return HttpResponse(status=204)
