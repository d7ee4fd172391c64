from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.core.http import HtmxHttpRequest

from . import services
from .forms import ProfileForm


@require_http_methods(["GET", "POST"])
def profile(request: HtmxHttpRequest) -> HttpResponse:
    """"Omat asetukset": the lines the user serves and the e-mail preference."""
    form = ProfileForm.for_user(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.profile_update(
            user=request.user,
            service_lines=form.cleaned_data["service_lines"],
            email_notifications=form.cleaned_data["email_notifications"],
        )
        messages.success(request, _("Asetukset on tallennettu."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
