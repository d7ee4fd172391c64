from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.core.http import HtmxHttpRequest


@require_GET
@permission_required("catalogue.change_entry", raise_exception=True)
def my_entries(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "catalogue/my_entries.html", {})
