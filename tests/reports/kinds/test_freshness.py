"""Every figure of the knowledge-freshness report against a hand-counted fixture."""

from __future__ import annotations

import datetime

import pytest

from apps.reports.kinds import freshness
from apps.reports.periods import Period
from tests.catalogue import factories as catalogue

pytestmark = pytest.mark.django_db

MARCH = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
D = datetime.date


@pytest.fixture
def fixture_entries(editor, manager):
    catalogue.entry(
        "e1",
        owner=editor,
        lines=["vammaispalvelut"],
        last_reviewed=D(2025, 3, 1),
        review_interval_days=365,
    )  # due 1.3.2026: overdue
    catalogue.entry(
        "e2",
        owner=editor,
        lines=["vammaispalvelut", "ikaihmiset"],
        last_reviewed=D(2026, 1, 1),
        review_interval_days=90,
    )  # due 1.4.
    catalogue.entry("e3", owner=editor, lines=["ikaihmiset"], last_reviewed=None)
    catalogue.entry(
        "e4", owner=manager, last_reviewed=D(2026, 2, 28), review_interval_days=31
    )  # due 31.3., the last day: not yet overdue
    catalogue.entry(
        "e5", lines=["lapset-perheet"], last_reviewed=D(2026, 2, 27), review_interval_days=31
    )  # due 30.3.: overdue


def test_freshness_totals_on_the_periods_last_day(fixture_entries):
    figures = freshness.compute(MARCH)
    assert figures["as_of"] == "2026-03-31"
    assert figures["totals"] == {
        "entries": 5,
        "overdue": 3,
        "never_reviewed": 1,
        "overdue_rate": 0.6,
    }


def test_freshness_by_owner(fixture_entries, editor, manager):
    rows = [
        (
            r["owner_id"],
            r["name"],
            r["entries"],
            r["overdue"],
            r["never_reviewed"],
            r["overdue_rate"],
        )
        for r in freshness.compute(MARCH)["by_owner"]
    ]
    assert rows == [
        (editor.pk, "Editor", 3, 2, 1, 0.6667),
        (None, "ei vastuuhenkilöä", 1, 1, 0, 1.0),
        (manager.pk, "Manager", 1, 0, 0, 0.0),
    ]


def test_freshness_by_line(fixture_entries):
    rows = {
        r["key"]: (r["entries"], r["overdue"], r["never_reviewed"])
        for r in freshness.compute(MARCH)["by_line"]
    }
    assert rows == {
        "vammaispalvelut": (2, 1, 0),
        "ikaihmiset": (2, 1, 1),
        "tyoikaiset": (0, 0, 0),
        "lapset-perheet": (1, 1, 0),
        "viranomaiset": (0, 0, 0),
        "": (1, 0, 0),
    }


def test_freshness_a_day_later_counts_the_entry_due_on_the_last_day(fixture_entries):
    april = freshness.compute(Period(D(2026, 4, 1), D(2026, 4, 1)))
    assert april["totals"]["overdue"] == 4


def test_freshness_period_not_ended_uses_today(fixture_entries):
    from django.utils import timezone

    today = timezone.localdate()
    figures = freshness.compute(Period(today, today + datetime.timedelta(days=30)))
    assert figures["as_of"] == today.isoformat()


def test_freshness_empty_catalogue():
    figures = freshness.compute(MARCH)
    assert figures["totals"] == {
        "entries": 0,
        "overdue": 0,
        "never_reviewed": 0,
        "overdue_rate": None,
    }
    assert figures["by_owner"] == []
