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
        "ptv_changed": 0,
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
        "ptv_changed": 0,
        "overdue_rate": None,
    }
    assert figures["by_owner"] == []


@pytest.fixture
def changed_in_suomifi(fixture_entries):
    """e2 (editor; vammaispalvelut and ikaihmiset) and e5 (no owner; lapset-perheet) were
    changed by a PTV sync and not reviewed since; e1 was, and has been reviewed."""
    from django.utils import timezone

    from apps.catalogue.models import Entry

    Entry.objects.filter(key__in=["e2", "e5"]).update(ptv_changed_at=timezone.now())


def test_freshness_counts_entries_changed_in_suomifi_not_yet_reviewed(changed_in_suomifi):
    figures = freshness.compute(MARCH)
    assert figures["totals"]["ptv_changed"] == 2
    by_owner = {r["username"]: r["ptv_changed"] for r in figures["by_owner"]}
    assert by_owner == {"editor": 1, "": 1, "manager": 0}
    by_line = {r["key"]: r["ptv_changed"] for r in figures["by_line"]}
    assert by_line == {
        "vammaispalvelut": 1,
        "ikaihmiset": 1,
        "tyoikaiset": 0,
        "lapset-perheet": 1,
        "viranomaiset": 0,
        "": 0,
    }


def test_freshness_a_review_clears_the_changed_in_suomifi_count(changed_in_suomifi, editor):
    from apps.catalogue import services
    from apps.catalogue.models import Entry

    services.entry_mark_reviewed(entry=Entry.objects.get(key="e2"), user=editor)
    assert freshness.compute(MARCH)["totals"]["ptv_changed"] == 1


def test_freshness_csv_has_the_changed_in_suomifi_column(changed_in_suomifi):
    import csv
    import io

    from apps.reports import exports
    from apps.reports.models import Report

    report = Report(kind="freshness", period_start=MARCH.start, period_end=MARCH.end)
    report.figures = freshness.compute(MARCH)
    rows = list(csv.reader(io.StringIO(exports.to_csv(report)), delimiter=";"))
    assert ["Muuttunut Suomi.fi:ssä, tarkistamatta", "2"] in rows
    header = next(r for r in rows if r and r[0] == "Vastuuhenkilö")
    column = header.index("Muuttunut Suomi.fi:ssä, tarkistamatta")
    editor_row = next(r for r in rows if r and r[0] == "Editor")
    assert editor_row[column] == "1"
