"""Structured opening hours of a contact: the value, its text syntax, and "open now?".

Plain functions over one JSON value (``Contact.opening_hours``, the format's
``opening_hours`` object; see docs/catalogue-format.md)::

    {
      "weekly": [
        {"days": {"mon": ["08:00-11:00", "12:00-16:00"], "sat": ["10:00-14:00"]}},
        {"from": "2026-06-01", "to": "2026-08-31", "days": {"mon": ["09:00-15:00"]}}
      ],
      "exceptions": [
        {"from": "2026-12-24", "to": "2026-12-26", "closed": true},
        {"from": "2026-12-31", "hours": ["09:00-12:00"]}
      ],
      "public_holidays": "open"
    }

It is shaped so that Suomi.fi (PTV) ``ServiceHours`` map onto it: regular weekly hours
with an optional validity (``from``/``to``), exceptional days and date ranges (closed,
or with their own hours), "open 24 h" (``00:00-24:00``) and ranges past midnight
(``22:00-02:00``: into the next day). Which hours apply on a date, first match wins:

1. the last exception whose dates cover it;
2. a Finnish public holiday (:func:`finnish_public_holidays`): closed, unless
   ``public_holidays`` is ``"open"``;
3. the last weekly period whose dates cover it (a period without dates covers every
   day); a weekday it does not list is closed.

Times are wall-clock times in Europe/Helsinki. A range is turned into real instants on
its own date, so a range across a daylight-saving change is as long as it really is;
a wall-clock time that does not exist (spring forward, 03:00–03:59) counts as 04:00,
and one that occurs twice (autumn back) as its first occurrence.

An editor types the text syntax (:func:`parse_text`, :func:`to_text`)::

    ma-pe 8-11, 12-16; la 10-14
    1.6.2026-31.8.2026: ma-pe 9-15
    24.12.2026-26.12.2026 suljettu; 31.12.2026 9-12
    pyhäpäivinä auki
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, pgettext

from .problems import FieldPath, FormatProblem

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")
UTC = datetime.UTC
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FINNISH_DAYS = ("ma", "ti", "ke", "to", "pe", "la", "su")
MAX_PERIODS = 20
MAX_EXCEPTIONS = 200
MAX_RANGES = 8
MIN_YEAR, MAX_YEAR = 2000, 2100
_DAY = 24 * 60

_RANGE_RE = re.compile(r"([0-9]{2}):([0-9]{2})-([0-9]{2}):([0-9]{2})")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

Hours = dict[str, Any]


# --- Finnish public holidays ----------------------------------------------------------------


def easter_sunday(year: int) -> datetime.date:
    """Western (Gregorian) Easter Sunday: the anonymous Gregorian algorithm (Meeus)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def _weekday_between(year: int, month: int, first_day: int, weekday: int) -> datetime.date:
    """The ``weekday`` (0 = Monday) in the seven days from ``first_day`` of ``month``."""
    start = datetime.date(year, month, first_day)
    return start + datetime.timedelta(days=(weekday - start.weekday()) % 7)


def finnish_public_holidays(year: int) -> dict[datetime.date, str]:
    """The days a Finnish public office is closed: the public holidays of the Church Act
    and the Working Hours Act as they have stood since 1991, with Midsummer Eve and
    Christmas Eve (by custom and collective agreements days off). Sundays other than
    Easter and Pentecost are not listed: the weekly hours say whether Sunday is open."""
    easter = easter_sunday(year)
    day = datetime.timedelta(days=1)
    midsummer = _weekday_between(year, 6, 20, 5)  # Saturday 20–26 June
    return {
        datetime.date(year, 1, 1): "Uudenvuodenpäivä",
        datetime.date(year, 1, 6): "Loppiainen",
        easter - 2 * day: "Pitkäperjantai",
        easter: "Pääsiäispäivä",
        easter + day: "2. pääsiäispäivä",
        datetime.date(year, 5, 1): "Vappu",
        easter + 39 * day: "Helatorstai",
        easter + 49 * day: "Helluntaipäivä",
        midsummer - day: "Juhannusaatto",
        midsummer: "Juhannuspäivä",
        _weekday_between(year, 10, 31, 5): "Pyhäinpäivä",  # Saturday 31 Oct – 6 Nov
        datetime.date(year, 12, 6): "Itsenäisyyspäivä",
        datetime.date(year, 12, 24): "Jouluaatto",
        datetime.date(year, 12, 25): "Joulupäivä",
        datetime.date(year, 12, 26): "Tapaninpäivä",
    }


_HOLIDAYS: dict[int, dict[datetime.date, str]] = {}


def is_public_holiday(date: datetime.date) -> bool:
    if date.year not in _HOLIDAYS:
        _HOLIDAYS[date.year] = finnish_public_holidays(date.year)
    return date in _HOLIDAYS[date.year]


# --- The value: checking and canonical form --------------------------------------------------


def _range_minutes(text: Any) -> tuple[int, int] | None:
    """``"08:00-16:00"`` → (480, 960); an end at or before the start runs past midnight
    (``"22:00-02:00"`` → (1320, 1560)); ``"00:00-24:00"`` is the whole day."""
    if not isinstance(text, str):
        return None
    match = _RANGE_RE.fullmatch(text)
    if match is None:
        return None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2 != 0):
        return None
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if end <= start:
        end += _DAY
    if end - start > _DAY:
        return None
    return start, end


def _date(value: Any) -> datetime.date | None:
    if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
        return None
    try:
        date = datetime.date.fromisoformat(value)
    except ValueError:
        return None
    return date if MIN_YEAR <= date.year <= MAX_YEAR else None


def validate(value: Any) -> list[str]:
    """Every mistake in an opening-hours value, each ``path: message`` (English, like the
    format's other errors). An empty list: the value is usable."""
    return [str(problem) for problem in problems(value, ("opening_hours",))]


def problems(value: Any, path: FieldPath = ()) -> list[FormatProblem]:
    """Every mistake in an opening-hours value at ``path``, each with its own path
    (``(*path, "weekly", 0, "days", "mon", 1)``). An empty list: the value is usable."""
    errors: list[FormatProblem] = []

    def err(where: FieldPath, message: str) -> None:
        errors.append(FormatProblem(where, message))

    if not isinstance(value, dict):
        return [FormatProblem(path, "expected an object")]
    for name in value:
        if name not in ("weekly", "exceptions", "public_holidays"):
            err((*path, name), "unknown field")
    if value.get("public_holidays") not in (None, "open", "closed"):
        err((*path, "public_holidays"), 'expected "open" or "closed"')

    def ranges(items: Any, where: FieldPath) -> None:
        if not isinstance(items, list):
            err(where, "expected a list of time ranges")
            return
        if len(items) > MAX_RANGES:
            err(where, f"more than {MAX_RANGES} ranges")
        for i, item in enumerate(items):
            if _range_minutes(item) is None:
                err((*where, i), f"invalid time range {item!r} (expected HH:MM-HH:MM)")

    def dates(item: dict[str, Any], where: FieldPath, *, from_required: bool) -> None:
        for name in ("from", "to"):
            if item.get(name) is None:
                if name == "from" and from_required:
                    err((*where, "from"), "missing")
                continue
            if _date(item[name]) is None:
                err((*where, name), f"expected an ISO date (YYYY-MM-DD), got {item[name]!r}")
        start, end = _date(item.get("from")), _date(item.get("to"))
        if start and end and end < start:
            err((*where, "to"), "before from")

    weekly = value.get("weekly")
    if weekly is not None:
        if not isinstance(weekly, list):
            err((*path, "weekly"), "expected a list")
        elif len(weekly) > MAX_PERIODS:
            err((*path, "weekly"), f"more than {MAX_PERIODS} periods")
        else:
            for i, period in enumerate(weekly):
                where: FieldPath = (*path, "weekly", i)
                if not isinstance(period, dict):
                    err(where, "expected an object")
                    continue
                for name in period:
                    if name not in ("from", "to", "days"):
                        err((*where, name), "unknown field")
                dates(period, where, from_required=False)
                days = period.get("days")
                if not isinstance(days, dict):
                    err((*where, "days"), "expected an object from weekday (mon…sun) to ranges")
                    continue
                for day, items in days.items():
                    if day not in DAYS:
                        err((*where, "days", day), "unknown weekday (mon, tue, … sun)")
                        continue
                    ranges(items, (*where, "days", day))
    exceptions = value.get("exceptions")
    if exceptions is not None:
        if not isinstance(exceptions, list):
            err((*path, "exceptions"), "expected a list")
        elif len(exceptions) > MAX_EXCEPTIONS:
            err((*path, "exceptions"), f"more than {MAX_EXCEPTIONS} items")
        else:
            for i, item in enumerate(exceptions):
                where = (*path, "exceptions", i)
                if not isinstance(item, dict):
                    err(where, "expected an object")
                    continue
                for name in item:
                    if name not in ("from", "to", "closed", "hours"):
                        err((*where, name), "unknown field")
                dates(item, where, from_required=True)
                closed = item.get("closed")
                if closed not in (None, True, False):
                    err((*where, "closed"), "expected true or false")
                if "hours" in item:
                    ranges(item["hours"], (*where, "hours"))
                if closed is True and item.get("hours"):
                    err((*where, "hours"), "a closed day has no hours")
                if closed is not True and not item.get("hours"):
                    err(where, 'needs "closed": true or "hours"')
    return errors


def _sorted_ranges(items: list[str]) -> list[str]:
    unique = {text: _range_minutes(text) for text in items}
    return sorted(unique, key=lambda text: unique[text] or (0, 0))


def canonical(value: Mapping[str, Any] | None) -> Hours:
    """The value as export writes it (``{}``: no structured hours). Assumes ``validate``
    found nothing: ranges sorted and unique per day, weekdays in order, a closed
    exception as ``"closed": true``, the default ``public_holidays`` left out."""
    if not value:
        return {}
    out: Hours = {}
    weekly = []
    for period in value.get("weekly") or []:
        p: dict[str, Any] = {}
        for name in ("from", "to"):
            if period.get(name):
                p[name] = period[name]
        days = period.get("days") or {}
        p["days"] = {day: _sorted_ranges(days[day]) for day in DAYS if days.get(day)}
        if p["days"] or "from" in p or "to" in p:  # an undated empty period says nothing
            weekly.append(p)
    if weekly:
        out["weekly"] = weekly
    exceptions = []
    for item in value.get("exceptions") or []:
        e: dict[str, Any] = {"from": item["from"]}
        if item.get("to") and item["to"] != item["from"]:
            e["to"] = item["to"]
        if item.get("closed") is True or not item.get("hours"):
            e["closed"] = True
        else:
            e["hours"] = _sorted_ranges(item["hours"])
        exceptions.append(e)
    if exceptions:
        out["exceptions"] = exceptions
    if value.get("public_holidays") == "open":
        out["public_holidays"] = "open"
    return out


# --- Which hours apply ----------------------------------------------------------------------


def _period_covers(period: Mapping[str, Any], date: datetime.date) -> bool:
    start, end = _date(period.get("from")), _date(period.get("to"))
    return (start is None or start <= date) and (end is None or date <= end)


def _exception_covers(item: Mapping[str, Any], date: datetime.date) -> bool:
    """An exception without ``to`` is the one day ``from``."""
    start = _date(item.get("from"))
    end = _date(item.get("to")) or start
    return start is not None and end is not None and start <= date <= end


def day_ranges(value: Mapping[str, Any], date: datetime.date) -> list[tuple[int, int]]:
    """The ranges that start on ``date``, in minutes from its midnight (an end past
    1440 runs into the next day), sorted."""
    for item in reversed(value.get("exceptions") or []):
        if _exception_covers(item, date):
            if item.get("closed") is True:
                return []
            return sorted(r for r in map(_range_minutes, item.get("hours") or []) if r)
    if value.get("public_holidays") != "open" and is_public_holiday(date):
        return []
    for period in reversed(value.get("weekly") or []):
        if _period_covers(period, date):
            items = (period.get("days") or {}).get(DAYS[date.weekday()]) or []
            return sorted(r for r in map(_range_minutes, items) if r)
    return []


def _instant(date: datetime.date, minutes: int) -> datetime.datetime:
    """Wall-clock ``minutes`` after midnight of ``date`` in Helsinki, as a UTC instant.

    A wall-clock time in the spring-forward gap does not exist: it counts as the first
    one after the gap (03:30 → 04:00), so later wall-clock times are never earlier
    instants. One that occurs twice (autumn) is its first occurrence (fold 0).
    """
    wall = datetime.datetime.combine(date, datetime.time()) + datetime.timedelta(minutes=minutes)
    for _ in range(181):  # a gap is at most an hour here; three to be safe
        instant = wall.replace(tzinfo=HELSINKI).astimezone(UTC)
        if instant.astimezone(HELSINKI).replace(tzinfo=None) == wall:
            return instant
        wall += datetime.timedelta(minutes=1)
    return instant


def _intervals(
    value: Mapping[str, Any], first: datetime.date, days: int
) -> Iterator[tuple[datetime.datetime, datetime.datetime]]:
    """Open intervals (UTC) of the ranges starting on ``first`` and the ``days - 1`` days
    after it, merged where they touch or overlap, in order."""
    current: tuple[datetime.datetime, datetime.datetime] | None = None
    for offset in range(days):
        date = first + datetime.timedelta(days=offset)
        for start, end in day_ranges(value, date):
            a, b = _instant(date, start), _instant(date, end)
            if b <= a:
                continue
            if current is not None and a <= current[1]:
                current = (current[0], max(current[1], b))
                continue
            if current is not None:
                yield current
            current = (a, b)
    if current is not None:
        yield current


def is_open_at(value: Mapping[str, Any], when: datetime.datetime) -> bool:
    """Whether a range covers the instant ``when`` (aware): today's, or yesterday's
    range running past midnight."""
    today = when.astimezone(HELSINKI).date()
    for date in (today - datetime.timedelta(days=1), today):
        for start, end in day_ranges(value, date):
            if _instant(date, start) <= when < _instant(date, end):
                return True
    return False


@dataclass(frozen=True)
class OpeningStatus:
    """``is_open`` at ``now``; ``closes_at`` (open; None: not within a week, "around the
    clock") or ``opens_at`` (closed; None: not within a year); times in Helsinki."""

    now: datetime.datetime
    is_open: bool
    closes_at: datetime.datetime | None = None
    opens_at: datetime.datetime | None = None


LOOK_AHEAD_DAYS = 366
ALWAYS_OPEN_DAYS = 8


def status(value: Mapping[str, Any] | None, now: datetime.datetime) -> OpeningStatus | None:
    """Open now? Closes at? Opens next? None when there are no structured hours."""
    if not value or not (value.get("weekly") or value.get("exceptions")):
        return None
    now = now.astimezone(UTC)
    local_now = now.astimezone(HELSINKI)
    yesterday = local_now.date() - datetime.timedelta(days=1)
    for start, end in _intervals(value, yesterday, LOOK_AHEAD_DAYS + 1):
        if end <= now:
            continue
        if start <= now:
            if end - now > datetime.timedelta(days=ALWAYS_OPEN_DAYS - 1):
                return OpeningStatus(now=local_now, is_open=True)
            return OpeningStatus(now=local_now, is_open=True, closes_at=end.astimezone(HELSINKI))
        return OpeningStatus(now=local_now, is_open=False, opens_at=start.astimezone(HELSINKI))
    return OpeningStatus(now=local_now, is_open=False)


# --- Display --------------------------------------------------------------------------------


def _clock(moment: datetime.datetime) -> str:
    """``16`` or ``16.30`` (Finnish style: hours, minutes only when there are some)."""
    return str(moment.hour) if moment.minute == 0 else f"{moment.hour}.{moment.minute:02d}"


def _weekday(date: datetime.date) -> str:
    names = (
        pgettext("weekday", "ma"),
        pgettext("weekday", "ti"),
        pgettext("weekday", "ke"),
        pgettext("weekday", "to"),
        pgettext("weekday", "pe"),
        pgettext("weekday", "la"),
        pgettext("weekday", "su"),
    )
    return names[date.weekday()]


def _when(moment: datetime.datetime, now: datetime.datetime) -> str:
    """The day part: "" for today, a weekday within the week, else the date (7.1.)."""
    days = (moment.date() - now.date()).days
    if days == 0:
        return ""
    if days < 7:
        return _weekday(moment.date())
    return f"{moment.day}.{moment.month}."


def status_text(state: OpeningStatus) -> str:
    """ "auki nyt, sulkeutuu klo 16" / "suljettu, avautuu ma klo 8", in the active language."""
    if state.is_open:
        if state.closes_at is None:
            return gettext("auki nyt, ympäri vuorokauden")
        day = _when(state.closes_at, state.now)
        if not day:
            return gettext("auki nyt, sulkeutuu klo %(time)s") % {"time": _clock(state.closes_at)}
        return gettext("auki nyt, sulkeutuu %(day)s klo %(time)s") % {
            "day": day,
            "time": _clock(state.closes_at),
        }
    if state.opens_at is None:
        return gettext("suljettu")
    day = _when(state.opens_at, state.now)
    if not day:
        return gettext("suljettu, avautuu klo %(time)s") % {"time": _clock(state.opens_at)}
    return gettext("suljettu, avautuu %(day)s klo %(time)s") % {
        "day": day,
        "time": _clock(state.opens_at),
    }


# --- The editors' text syntax ---------------------------------------------------------------


class OpeningHoursSyntaxError(ValueError):
    """A clause the parser could not read; ``message`` is for the editor (Finnish)."""


_DAY_NAME = "|".join(FINNISH_DAYS)
_DAY_SPEC = rf"(?:{_DAY_NAME})(?:\s*[-–]\s*(?:{_DAY_NAME}))?"
_DAYS_RE = re.compile(rf"({_DAY_SPEC}(?:\s*,\s*{_DAY_SPEC})*)(?:\s+(.*))?", re.IGNORECASE)
_FI_DATE = r"[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}"
_PERIOD_RE = re.compile(rf"({_FI_DATE})?\s*[-–]\s*({_FI_DATE})?\s*:\s*(.*)")
_EXCEPTION_RE = re.compile(rf"({_FI_DATE})(?:\s*[-–]\s*({_FI_DATE}))?\s+(.+)")
_TIME = r"([0-9]{1,2})(?:[.:]([0-9]{2}))?"
_TEXT_RANGE_RE = re.compile(rf"{_TIME}\s*[-–]\s*{_TIME}")
_CLOSED_WORDS = ("suljettu", "kiinni")
_ALL_DAY_WORDS = ("24h", "24 h", "ympäri vuorokauden")
_HOLIDAY_RE = re.compile(r"(?:pyhäpäivinä|pyhinä|pyhät)\s*:?\s*(auki|suljettu|kiinni)", re.I)


def _syntax_error(clause: str, message: str) -> OpeningHoursSyntaxError:
    return OpeningHoursSyntaxError(
        gettext("Kohta ”%(clause)s”: %(message)s") % {"clause": clause, "message": message}
    )


def _parse_fi_date(text: str, clause: str) -> str:
    day, month, year = (int(part) for part in text.split("."))
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        raise _syntax_error(
            clause, gettext("päivämäärää %(date)s ei ole.") % {"date": text}
        ) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _syntax_error(clause, gettext("vuosi %(year)s ei käy.") % {"year": year})
    return date.isoformat()


def _parse_times(text: str, clause: str) -> list[str]:
    """``8-11, 12-16`` → ["08:00-11:00", "12:00-16:00"]; ``suljettu`` → []; ``24h``."""
    text = re.sub(r"\bklo\b", " ", text.strip(), flags=re.IGNORECASE).strip()
    if text.lower() in _CLOSED_WORDS:
        return []
    if text.lower() in _ALL_DAY_WORDS:
        return ["00:00-24:00"]
    out = []
    for part in re.split(r"\s*(?:,|\bja\b)\s*", text):
        if not part:
            continue
        match = _TEXT_RANGE_RE.fullmatch(part)
        if match is None:
            raise _syntax_error(
                clause,
                gettext("en ymmärrä aikaa ”%(time)s”; kirjoita esim. 8-16, 8.30-16 tai suljettu.")
                % {"time": part},
            )
        h1, m1, h2, m2 = (int(g) if g else 0 for g in match.groups())
        value = f"{h1:02d}:{m1:02d}-{h2:02d}:{m2:02d}"
        if _range_minutes(value) is None:
            raise _syntax_error(clause, gettext("kellonaika ”%(time)s” ei käy.") % {"time": part})
        out.append(value)
    if not out:
        raise _syntax_error(clause, gettext("aika puuttuu."))
    return out


def _parse_days(spec: str) -> list[str]:
    days: list[str] = []
    for part in re.split(r"\s*,\s*", spec.lower()):
        ends = [FINNISH_DAYS.index(p.strip()) for p in re.split(r"[-–]", part)]
        first, last = ends[0], ends[-1]
        index = first
        while True:
            if DAYS[index] not in days:
                days.append(DAYS[index])
            if index == last:
                break
            index = (index + 1) % 7
    return days


def parse_text(text: str) -> Hours:
    """The editors' syntax (see the module's docstring) as a canonical value.

    Clauses are separated by ``;`` or new lines. Raises OpeningHoursSyntaxError naming
    the first clause it cannot read."""
    weekly: list[dict[str, Any]] = [{"days": {}}]
    exceptions: list[dict[str, Any]] = []
    holidays: str | None = None
    current = weekly[0]
    for raw in re.split(r"[;\n]", text or ""):
        clause = " ".join(raw.split())
        if not clause:
            continue
        if (match := _HOLIDAY_RE.fullmatch(clause)) is not None:
            holidays = "open" if match.group(1).lower() == "auki" else None
            continue
        if clause.lower() in _ALL_DAY_WORDS:
            clause = "ma-su 24h"
        if (match := _PERIOD_RE.fullmatch(clause)) is not None and (
            match.group(1) or match.group(2)
        ):
            current = {}
            if match.group(1):
                current["from"] = _parse_fi_date(match.group(1), clause)
            if match.group(2):
                current["to"] = _parse_fi_date(match.group(2), clause)
            if "from" in current and "to" in current and current["to"] < current["from"]:
                raise _syntax_error(clause, gettext("loppupäivä on ennen alkupäivää."))
            current["days"] = {}
            weekly.append(current)
            clause = match.group(3).strip()
            if not clause:
                continue
        if (match := _EXCEPTION_RE.fullmatch(clause)) is not None:
            item: dict[str, Any] = {"from": _parse_fi_date(match.group(1), clause)}
            if match.group(2):
                item["to"] = _parse_fi_date(match.group(2), clause)
                if item["to"] < item["from"]:
                    raise _syntax_error(clause, gettext("loppupäivä on ennen alkupäivää."))
            hours = _parse_times(match.group(3), clause)
            if hours:
                item["hours"] = hours
            else:
                item["closed"] = True
            exceptions.append(item)
            continue
        match = _DAYS_RE.fullmatch(clause)
        if match is None or not match.group(2):
            raise _syntax_error(
                clause,
                gettext(
                    "aloita viikonpäivällä (ma, ti, ke, to, pe, la, su), päivämäärällä "
                    "(24.12.2026) tai jaksolla (1.6.2026-31.8.2026:)."
                ),
            )
        hours = _parse_times(match.group(2), clause)
        for day in _parse_days(match.group(1)):
            existing = current["days"].setdefault(day, [])
            existing.extend(h for h in hours if h not in existing)
    if len(weekly) > MAX_PERIODS:
        raise OpeningHoursSyntaxError(
            gettext("Enintään %(count)s jaksoa.") % {"count": MAX_PERIODS}
        )
    if len(exceptions) > MAX_EXCEPTIONS:
        raise OpeningHoursSyntaxError(
            gettext("Enintään %(count)s poikkeusta.") % {"count": MAX_EXCEPTIONS}
        )
    if not weekly[0]["days"]:
        weekly.pop(0)
    value: Hours = {"weekly": weekly, "exceptions": exceptions}
    if holidays:
        value["public_holidays"] = holidays
    errors = validate(value)
    if errors:  # e.g. too many ranges on one day
        raise OpeningHoursSyntaxError("; ".join(errors))
    return canonical(value)


def _fi_date(iso: str) -> str:
    date = datetime.date.fromisoformat(iso)
    return f"{date.day}.{date.month}.{date.year}"


def _fi_time(minutes: int) -> str:
    hours, mins = divmod(minutes % _DAY if minutes != _DAY else _DAY, 60)
    return str(hours) if mins == 0 else f"{hours}.{mins:02d}"


def _fi_ranges(items: list[str]) -> str:
    if items == ["00:00-24:00"]:
        return "24h"
    parts = []
    for item in items:
        start, end = _range_minutes(item) or (0, 0)
        parts.append(f"{_fi_time(start)}-{_fi_time(end if end <= _DAY else end - _DAY)}")
    return ", ".join(parts)


def _fi_days(days: Mapping[str, list[str]]) -> list[str]:
    """Weekdays with the same hours grouped into runs: ``ma-pe 8-16``, ``la 10-14``."""
    clauses: list[str] = []
    index = 0
    while index < 7:
        hours = days.get(DAYS[index])
        if not hours:
            index += 1
            continue
        end = index
        while end + 1 < 7 and days.get(DAYS[end + 1]) == hours:
            end += 1
        name = FINNISH_DAYS[index] + (f"-{FINNISH_DAYS[end]}" if end > index else "")
        clauses.append(f"{name} {_fi_ranges(hours)}")
        index = end + 1
    return clauses


def to_text(value: Mapping[str, Any] | None) -> str:
    """A value in the editors' syntax, one clause group a line; ``parse_text`` reads it
    back to the same canonical value."""
    value = canonical(value)
    lines: list[str] = []
    for period in value.get("weekly") or []:
        clauses = _fi_days(period.get("days") or {})
        if "from" in period or "to" in period:
            head = (
                (_fi_date(period["from"]) if "from" in period else "")
                + "-"
                + (_fi_date(period["to"]) if "to" in period else "")
                + ":"
            )
            lines.append(f"{head} {'; '.join(clauses)}".rstrip())
        elif clauses:
            lines.append("; ".join(clauses))
    for item in value.get("exceptions") or []:
        when = _fi_date(item["from"]) + (f"-{_fi_date(item['to'])}" if "to" in item else "")
        what = "suljettu" if item.get("closed") else _fi_ranges(item["hours"])
        lines.append(f"{when} {what}")
    if value.get("public_holidays") == "open":
        lines.append("pyhäpäivinä auki")
    return "\n".join(lines)
