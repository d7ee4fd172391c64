"""Reads of the reports."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from apps.catalogue.models import Entry
from apps.catalogue.queries import annotate_review_due, overdue_q

from .models import Report, ReportSubscription

if TYPE_CHECKING:
    from apps.accounts.models import User

LIST_SIZE = 50


def report_list(*, kind: str = "") -> QuerySet[Report]:
    reports = Report.objects.select_related("started_by").defer("figures")
    if kind:
        reports = reports.filter(kind=kind)
    return reports.order_by("-period_end", "-period_start", "kind")


def report_status(report_id: int) -> Report | None:
    """Just what the progress fragment shows."""
    return (Report.objects.only("pk", "kind", "period_start", "period_end", "status",
                                "progress", "error", "started_at", "finished_at")
            .filter(pk=report_id).first())


def subscribed_kinds(user: User) -> set[str]:
    return set(ReportSubscription.objects.filter(user=user).values_list("kind", flat=True))


def owners_with_overdue_entries(*, today: datetime.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    return list(Entry.objects.filter(overdue_q(today), owner__isnull=False,
                                     owner__is_active=True)
                .exclude(owner__email="")
                .values_list("owner", flat=True).distinct().order_by("owner"))


def overdue_entries_of(owner: User, *, today: datetime.date | None = None) -> list[Entry]:
    today = today or timezone.localdate()
    return list(annotate_review_due(Entry.objects.filter(overdue_q(today), owner=owner), today)
                .order_by("review_due_on", "title_fi"))
