from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseStopPolling

from apps.core.http import AuthenticatedHttpRequest, HtmxHttpRequest, is_same_site_path

from . import selectors, services
from .models import Notification

PAGE_SIZE = 30


@require_GET
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("sivu"))
    template = "notifications/inbox.html"
    if request.htmx:
        template += "#notification-list"
    return render(request, template, {"page": page})


@require_GET
def open_notification(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go where it points (only ever within this site)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(user=request.user, notification_ids=[notification.pk])
    if is_same_site_path(notification.url):
        return redirect(notification.url)
    return redirect("notifications:inbox")


@require_POST
def mark_all_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.mark_read(user=request.user)
    if request.htmx:
        page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(
            request.POST.get("sivu")
        )
        return render(
            request, "notifications/inbox.html#notification-list", {"page": page, "badge_oob": True}
        )
    messages.success(request, _("Kaikki ilmoitukset on merkitty luetuiksi."))
    return redirect("notifications:inbox")


@require_GET
@never_cache
@login_not_required
def badge(request: HtmxHttpRequest) -> HttpResponse:
    """The header's unread count, polled by htmx. When the session has ended, the poll
    stops instead of swapping the login page into the header."""
    if not request.user.is_authenticated:
        if request.htmx:
            return HttpResponseStopPolling()
        return redirect_to_login(request.get_full_path())
    # No RequestContext: the other context processors' queries are not needed here.
    html = render_to_string(
        "notifications/partials/badge.html",
        {"unread_notification_count": selectors.unread_count(request.user)},
    )
    return HttpResponse(html)
