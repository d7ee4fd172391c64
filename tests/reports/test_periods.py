from __future__ import annotations

import datetime

import pytest

from apps.reports.periods import Period, month_of, months_before

D = datetime.date
UTC = datetime.UTC


def test_period_bounds_are_finnish_midnights_across_summer_time():
    start, end = Period(D(2026, 3, 1), D(2026, 3, 31)).bounds()
    assert start.astimezone(UTC) == datetime.datetime(2026, 2, 28, 22, 0, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime.datetime(2026, 3, 31, 21, 0, tzinfo=UTC)


def test_period_previous_whole_months():
    assert Period(D(2026, 3, 1), D(2026, 3, 31)).previous() == Period(D(2026, 2, 1), D(2026, 2, 28))
    assert Period(D(2026, 1, 1), D(2026, 2, 28)).previous() == Period(
        D(2025, 11, 1), D(2025, 12, 31)
    )


def test_period_previous_same_number_of_days():
    assert Period(D(2026, 3, 10), D(2026, 3, 16)).previous() == Period(D(2026, 3, 3), D(2026, 3, 9))


def test_period_refuses_reversed():
    with pytest.raises(ValueError):
        Period(D(2026, 3, 2), D(2026, 3, 1))


@pytest.mark.parametrize(
    ("today", "months", "expected"),
    [
        (D(2026, 2, 1), 1, (D(2026, 1, 1), D(2026, 1, 31))),
        (D(2026, 3, 15), 1, (D(2026, 2, 1), D(2026, 2, 28))),
        (D(2026, 1, 1), 2, (D(2025, 11, 1), D(2025, 12, 31))),
        (D(2026, 3, 1), 2, (D(2026, 1, 1), D(2026, 2, 28))),
    ],
)
def test_months_before(today, months, expected):
    assert months_before(today, months) == Period(*expected)


def test_month_of():
    assert month_of(D(2024, 2, 10)) == Period(D(2024, 2, 1), D(2024, 2, 29))
