"""Report periods: whole days in Finnish time.

A period is ``start``–``end``, both dates included. In the database it is the half-open
range from midnight Europe/Helsinki at ``start`` to midnight at the day after ``end``,
so a contact at 23.59 on the last evening belongs to it and one at 00.00 the next
morning does not, whatever the offset (EET/EEST) on either side.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.formats import date_format

ONE_DAY = datetime.timedelta(days=1)


def report_timezone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=report_timezone())


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """The first of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + (day.month - 1) + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # included

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("period ends before it starts")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """``[from, to)`` as aware datetimes: Helsinki midnights."""
        return local_midnight(self.start), local_midnight(self.end + ONE_DAY)

    @property
    def whole_months(self) -> int | None:
        """How many calendar months the period spans exactly, or None."""
        if self.start.day != 1 or (self.end + ONE_DAY).day != 1:
            return None
        after = self.end + ONE_DAY
        return (after.year - self.start.year) * 12 + after.month - self.start.month

    def previous(self) -> Period:
        """The period just before, of the same length (whole months when the period is
        whole months: February before March, not 31 days)."""
        months = self.whole_months
        if months:
            start = _add_months(self.start, -months)
            return Period(start, self.start - ONE_DAY)
        return Period(self.start - datetime.timedelta(days=self.days), self.start - ONE_DAY)

    def label(self) -> str:
        return f"{date_format(self.start, 'j.n.Y')}–{date_format(self.end, 'j.n.Y')}"

    def as_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def months_before(today: datetime.date, months: int) -> Period:
    """The ``months`` whole calendar months before the month of ``today``."""
    if months < 1:
        raise ValueError("months must be positive")
    first_of_this_month = today.replace(day=1)
    return Period(_add_months(first_of_this_month, -months), first_of_this_month - ONE_DAY)


def month_of(day: datetime.date) -> Period:
    return Period(day.replace(day=1), _add_months(day, 1) - ONE_DAY)
