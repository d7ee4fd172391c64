"""Every figure of the consultations report against a hand-counted fixture."""

from __future__ import annotations

import datetime

import pytest

from apps.reports.kinds import consultations
from apps.reports.periods import Period
from tests.reports.factories import at, callback, hours, thread

pytestmark = pytest.mark.django_db

MARCH = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
NOW = at(2026, 4, 10, 12, 0)


@pytest.fixture
def fixture_threads(advisor):
    t1 = at(2026, 3, 2, 9, 0)
    thread(asked=t1, answers=(t1 + hours(1), t1 + hours(3)), solved=t1 + hours(5))
    t2 = at(2026, 3, 10, 10, 0)
    thread(asked=t2, comments=(t2 + hours(0.5),), answers=(t2 + hours(30),))
    thread(asked=at(2026, 3, 31, 23, 30), line="ikaihmiset")
    t4 = at(2026, 3, 20, 8, 0)
    thread(asked=t4, line="ikaihmiset", answers=(t4 + hours(2),), solved=t4 + hours(26))
    # outside March
    thread(asked=at(2026, 4, 1, 0, 0))
    thread(asked=at(2026, 2, 28, 23, 59), answers=(at(2026, 3, 5, 0, 0),))

    callback(due=at(2026, 3, 5, 12, 0), done=at(2026, 3, 5, 11, 0))
    callback(due=at(2026, 3, 6, 12, 0), done=at(2026, 3, 6, 15, 0))
    callback(due=at(2026, 3, 31, 23, 0), line="ikaihmiset")
    callback(due=at(2026, 3, 10, 9, 0), line=None, assignee=advisor, done=at(2026, 3, 11, 9, 0))
    callback(due=at(2026, 4, 1, 0, 0))


def test_consultations_totals(fixture_threads):
    totals = consultations.compute(MARCH, now=NOW)["totals"]
    assert totals == {
        "asked": 4,
        "solved": 2,
        "answered": 3,
        "solved_rate": 0.5,
        "median_first_answer": 7200,  # of 1 h, 30 h and 2 h
        "median_solution": 55800,  # of 5 h and 26 h
        "unanswered_24h": 2,  # answered after 30 h; never answered
        "callbacks_due": 4,
        "callbacks_done": 3,
        "callbacks_done_late": 2,
        "callbacks_open_overdue": 1,
        "callbacks_late_rate": 0.6667,
    }


def test_consultations_by_line(fixture_threads):
    rows = {r["key"]: r for r in consultations.compute(MARCH, now=NOW)["by_line"]}
    assert list(rows) == [
        "vammaispalvelut",
        "ikaihmiset",
        "tyoikaiset",
        "lapset-perheet",
        "viranomaiset",
        "",
    ]
    assert rows["vammaispalvelut"] == {
        "key": "vammaispalvelut",
        "name": "Vammaispalvelut",
        "asked": 2,
        "solved": 1,
        "answered": 2,
        "solved_rate": 0.5,
        "median_first_answer": 55800,
        "median_solution": 18000,
        "unanswered_24h": 1,
        "callbacks_due": 2,
        "callbacks_done": 2,
        "callbacks_done_late": 1,
        "callbacks_open_overdue": 0,
        "callbacks_late_rate": 0.5,
    }
    assert rows["ikaihmiset"] == {
        "key": "ikaihmiset",
        "name": "Ikäihmisten palvelut",
        "asked": 2,
        "solved": 1,
        "answered": 1,
        "solved_rate": 0.5,
        "median_first_answer": 7200,
        "median_solution": 93600,
        "unanswered_24h": 1,
        "callbacks_due": 1,
        "callbacks_done": 0,
        "callbacks_done_late": 0,
        "callbacks_open_overdue": 1,
        "callbacks_late_rate": None,
    }
    assert rows[""]["asked"] == 0
    assert (
        rows[""]["callbacks_due"],
        rows[""]["callbacks_done_late"],
        rows[""]["callbacks_late_rate"],
    ) == (1, 1, 1.0)
    assert rows["tyoikaiset"]["median_first_answer"] is None


def test_consultations_unanswered_counts_only_once_24_hours_are_up(fixture_threads):
    just_after = at(2026, 4, 1, 23, 0)  # the 31.3. 23.30 question is 23.5 h old
    assert consultations.compute(MARCH, now=just_after)["totals"]["unanswered_24h"] == 1


def test_consultations_empty_period(fixture_threads):
    figures = consultations.compute(
        Period(datetime.date(2025, 6, 1), datetime.date(2025, 6, 30)), now=NOW
    )
    assert figures["totals"]["asked"] == 0
    assert figures["totals"]["median_first_answer"] is None
    assert figures["totals"]["callbacks_due"] == 0
    assert [r["key"] for r in figures["by_line"]] == [
        "vammaispalvelut",
        "ikaihmiset",
        "tyoikaiset",
        "lapset-perheet",
        "viranomaiset",
    ]
    assert len(consultations.tables(figures)) == 3
