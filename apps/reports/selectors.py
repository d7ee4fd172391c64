"""Reads of the reports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from .models import Report, ReportSubscription

if TYPE_CHECKING:
    from apps.accounts.models import User

LIST_SIZE = 50


def report_detail_queryset() -> QuerySet[Report]:
    """Reports with who started them, for looking one up by id."""
    return Report.objects.select_related("started_by")


def report_list(*, kind: str = "") -> QuerySet[Report]:
    reports = Report.objects.select_related("started_by").defer("figures")
    if kind:
        reports = reports.filter(kind=kind)
    return reports.order_by("-period_end", "-period_start", "kind")


def report_status(report_id: int) -> Report | None:
    """Just what the progress fragment shows."""
    return (
        Report.objects.only(
            "pk",
            "kind",
            "period_start",
            "period_end",
            "status",
            "progress",
            "error",
            "started_at",
            "finished_at",
        )
        .filter(pk=report_id)
        .first()
    )


def subscribed_kinds(user: User) -> set[str]:
    return set(ReportSubscription.objects.filter(user=user).values_list("kind", flat=True))
