"""Reads for editing and upkeep: version history, an owner's entries and reports.

Kept beside ``selectors.py`` (the reading pages' reads) so the two parts could be
written at the same time; they may be folded together.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import F

from .models import Entry, EntryVersion, ProblemReport
from .queries import annotate_review_due

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from apps.accounts.models import User

    from .queries import ReviewDue


def entry_versions(entry: Entry) -> list[EntryVersion]:
    """Every saved version of the entry, newest first, with its author."""
    return list(
        EntryVersion.objects.filter(entry=entry).select_related("author").order_by("-number")
    )


def entry_version_before(entry: Entry, number: int) -> EntryVersion | None:
    """The version saved just before ``number`` (numbers may have gaps)."""
    return (
        EntryVersion.objects.filter(entry=entry, number__lt=number)
        .select_related("author")
        .order_by("-number")
        .first()
    )


def owned_entries(user: User, *, today: datetime.date) -> list[WithAnnotations[Entry, ReviewDue]]:
    """The user's entries, overdue ones first, then by review due date.

    Each carries ``review_due_on`` (None when never reviewed) and ``review_overdue``.
    """
    return list(
        annotate_review_due(Entry.objects.filter(owner=user), today).order_by(
            "-review_overdue", F("review_due_on").asc(nulls_first=True), "title_fi", "key"
        )
    )


def open_reports_for_owner(user: User) -> list[ProblemReport]:
    """Open problem reports about the user's entries, newest first."""
    return list(
        ProblemReport.objects.filter(entry__owner=user, status=ProblemReport.Status.OPEN)
        .select_related("entry", "reporter")
        .order_by("-created_at", "-id")
    )
