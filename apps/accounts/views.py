from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.http import AuthenticatedHttpRequest
from apps.core.permissions import require

from . import backends, oidc, permissions, selectors, services
from .forms import ProfileForm, StaffFilterForm, StaffLinesForm
from .models import User


@method_decorator(login_not_required, name="dispatch")
class SignInView(LoginView):
    """``/kirjaudu/``: "Kirjaudu … -tunnuksella" when OpenID Connect is on, and the password
    form while local sign-in is on (superusers only once the provider is on:
    ``backends.password_allowed_for``). django-axes counts and locks the password attempts."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["oidc_enabled"] = oidc.oidc_enabled()
        context["provider_name"] = settings.NEUVOKAS_OIDC_PROVIDER_NAME
        context["local_login"] = backends.local_login_allowed()
        return context


@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Omat asetukset": the e-mail preference; the lines served are shown, not chosen."""
    form = ProfileForm.for_user(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.profile_update(
            user=request.user,
            email_notifications=form.cleaned_data["email_notifications"],
        )
        messages.success(request, _("Asetukset on tallennettu."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "service_lines": selectors.user_service_lines(user=request.user),
        },
    )


@require_GET
@require(permissions.can_assign_service_lines)
def staff_lines(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A manager's list of staff and the lines each serves, filtered by name."""
    form = StaffFilterForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    template = "accounts/staff_lines.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"form": form, "staff": selectors.staff_with_lines(q=q)})


@require_http_methods(["GET", "POST"])
@require(permissions.can_assign_service_lines)
def staff_lines_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A manager sets the lines one staff member serves."""
    try:
        member = selectors.staff_member(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc
    form = StaffLinesForm.for_user(member, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.service_lines_assign(
            user=member, by=request.user, service_lines=form.cleaned_data["service_lines"]
        )
        messages.success(
            request, _("Henkilön %(name)s palvelulinjat tallennettiin.") % {"name": member}
        )
        return redirect("accounts:staff_lines")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "accounts/staff_lines_edit.html", {"form": form, "member": member}, status=status
    )
