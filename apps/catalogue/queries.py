"""Reusable query expressions for the catalogue, computed in the database.

An entry is due for review ``review_interval_days`` (or the default interval) after it
was last reviewed; one never reviewed is overdue at once. This is the database form of
``Entry.review_due`` / ``Entry.is_overdue``, for filtering and sorting whole lists.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    DateField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThan
from django.utils import timezone

from .models import Entry

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class ReviewDue(TypedDict):
    review_due_on: datetime.date | None
    review_overdue: bool


def review_due_expression() -> CombinedExpression:
    """``last_reviewed + coalesce(review_interval_days, default)`` as a date (NULL when
    never reviewed). PostgreSQL adds an integer to a date as days."""
    interval = Coalesce(
        F("review_interval_days"),
        Value(settings.NEUVOKAS_DEFAULT_REVIEW_INTERVAL_DAYS),
        output_field=IntegerField(),
    )
    return CombinedExpression(F("last_reviewed"), "+", interval, output_field=DateField())


def overdue_q(today: datetime.date | None = None) -> Q:
    """Entries whose review is overdue on ``today`` (default: today in Helsinki)."""
    today = today or timezone.localdate()
    return Q(last_reviewed__isnull=True) | Q(LessThan(review_due_expression(), today))


def annotate_review_due(
    queryset: QuerySet[Entry], today: datetime.date | None = None
) -> QuerySet[WithAnnotations[Entry, ReviewDue]]:
    """Add ``review_due_on`` (date or None) and ``review_overdue`` (bool) to each row."""
    return queryset.annotate(
        review_due_on=review_due_expression(),
        review_overdue=Case(
            When(overdue_q(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )
