"""Report pages, for managers: the list with "run now", one run with its charts
(polled while it runs), and its CSV and XLSX downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HTMX_STOP_POLLING

from apps.audit import services as audit
from apps.core.dispatch import enqueue
from apps.core.http import AuthenticatedHttpRequest
from apps.core.permissions import require

from . import exports, permissions, selectors, services
from .forms import RunReportForm, SubscriptionForm
from .models import Kind, Report
from .tasks import generate_report

PAGE_SIZE = 50


def _index_context(
    request: AuthenticatedHttpRequest, form: RunReportForm | None = None
) -> dict[str, object]:
    page = Paginator(
        selectors.report_list(kind=request.GET.get("raportti", "")), PAGE_SIZE
    ).get_page(request.GET.get("sivu"))
    subscribed = selectors.subscribed_kinds(request.user)
    return {
        "page": page,
        "form": form or RunReportForm.for_last_month(),
        "can_run": permissions.can_run_reports(request.user),
        "kinds": [(value, label, value in subscribed) for value, label in Kind.choices],
    }


@require_GET
@require(permissions.can_view_reports)
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "reports/index.html", _index_context(request))


@require_POST
@require(permissions.can_run_reports)
def run(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Run (or rerun) a report now; the run's page shows its progress."""
    form = RunReportForm(request.POST)
    if not form.is_valid():
        return render(request, "reports/index.html", _index_context(request, form), status=400)
    report = services.report_request(
        kind=form.cleaned_data["kind"],
        period_start=form.cleaned_data["period_start"],
        period_end=form.cleaned_data["period_end"],
        started_by=request.user,
        rerun=True,
    )
    if report.status != Report.Status.DONE:
        enqueue(generate_report, report.pk)
    return redirect(report)


@require_GET
@never_cache
@vary_on_headers("HX-Request")
@require(permissions.can_view_reports)
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(selectors.report_detail_queryset(), pk=pk)
    context = {
        "report": report,
        "tables": exports.report_tables(report),
        "can_run": permissions.can_run_reports(request.user),
    }
    if request.htmx:
        status = 200 if report.is_in_progress else HTMX_STOP_POLLING
        return render(request, "reports/detail.html#report-body", context, status=status)
    return render(request, "reports/detail.html", context)


def _download(request: AuthenticatedHttpRequest, pk: int, extension: str) -> HttpResponse:
    report = get_object_or_404(Report, pk=pk)
    if not report.is_done:
        raise Http404
    audit.record(audit.Kind.EXPORT, request.user, report, what="report", format=extension)
    if extension == "csv":
        response = HttpResponse(exports.to_csv(report), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.to_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    name = exports.filename(report, extension)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@require(permissions.can_view_reports)
def download_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "csv")


@require_GET
@require(permissions.can_view_reports)
def download_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "xlsx")


@require_POST
@require(permissions.can_view_reports)
def subscribe(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SubscriptionForm(request.POST)
    if form.is_valid():
        services.subscription_set(
            user=request.user,
            kind=form.cleaned_data["kind"],
            subscribed=form.cleaned_data["subscribed"],
        )
        label = dict(Kind.choices)[form.cleaned_data["kind"]]
        if form.cleaned_data["subscribed"]:
            messages.success(request, _("Saat raportin %(kind)s sähköpostiisi.") % {"kind": label})
        else:
            messages.success(request, _("Raportin %(kind)s tilaus peruttu.") % {"kind": label})
    return redirect("reports:index")
