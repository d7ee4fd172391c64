"""Structured opening hours: the value, the editors' syntax, public holidays, and the
"open now / closes at / opens next" computation in Europe/Helsinki (DST included).

Plain functions: no database. Hypothesis compares ``status`` with a minute-by-minute
walk of ``is_open_at`` across the daylight-saving changes of 2026.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.catalogue import opening_hours as oh
from apps.catalogue.opening_hours import (
    HELSINKI,
    OpeningHoursSyntaxError,
    finnish_public_holidays,
    parse_text,
    status,
    status_text,
    to_text,
    validate,
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def at(text: str) -> datetime.datetime:
    """A Helsinki wall-clock time (``2026-12-07 10:00``) as an aware datetime."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=HELSINKI)


def office(*ranges: str, **extra) -> dict:
    return {"weekly": [{"days": {d: list(ranges) for d in WEEKDAYS}}], **extra}


def text_at(value: dict, when: str) -> str:
    with translation.override("fi"):
        state = status(value, at(when))
        assert state is not None
        return status_text(state)


# --- Public holidays ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, "2024-03-31"),
        (2025, "2025-04-20"),
        (2026, "2026-04-05"),
        (2027, "2027-03-28"),
        (2038, "2038-04-25"),
        (2000, "2000-04-23"),
        (2019, "2019-04-21"),
    ],
)
def test_easter_sunday_known_dates(year, easter):
    assert oh.easter_sunday(year).isoformat() == easter


def test_finnish_public_holidays_2026():
    days = {d.isoformat(): name for d, name in finnish_public_holidays(2026).items()}
    assert days == {
        "2026-01-01": "Uudenvuodenpäivä",
        "2026-01-06": "Loppiainen",
        "2026-04-03": "Pitkäperjantai",
        "2026-04-05": "Pääsiäispäivä",
        "2026-04-06": "2. pääsiäispäivä",
        "2026-05-01": "Vappu",
        "2026-05-14": "Helatorstai",
        "2026-05-24": "Helluntaipäivä",
        "2026-06-19": "Juhannusaatto",
        "2026-06-20": "Juhannuspäivä",
        "2026-10-31": "Pyhäinpäivä",
        "2026-12-06": "Itsenäisyyspäivä",
        "2026-12-24": "Jouluaatto",
        "2026-12-25": "Joulupäivä",
        "2026-12-26": "Tapaninpäivä",
    }


@given(st.integers(min_value=1991, max_value=2100))
def test_moving_holidays_fall_on_their_weekdays(year):
    easter = oh.easter_sunday(year)
    day = datetime.timedelta(days=1)
    assert easter.weekday() == 6
    assert datetime.date(year, 3, 22) <= easter <= datetime.date(year, 4, 25)
    midsummer = next(
        datetime.date(year, 6, d) for d in range(20, 27) if datetime.date(year, 6, d).weekday() == 5
    )
    all_saints = next(
        d for d in (datetime.date(year, 10, 31) + n * day for n in range(7)) if d.weekday() == 5
    )
    for holiday in (
        easter - 2 * day,
        easter,
        easter + day,
        easter + 39 * day,  # Ascension, a Thursday
        easter + 49 * day,  # Pentecost, a Sunday
        midsummer - day,
        midsummer,
        all_saints,
        datetime.date(year, 12, 6),
    ):
        assert oh.is_public_holiday(holiday), holiday
    assert (easter + 39 * day).weekday() == 3
    # Ordinary days around them are not holidays.
    assert not oh.is_public_holiday(easter - 3 * day)
    assert not oh.is_public_holiday(midsummer + day)


# --- Status -------------------------------------------------------------------------------


def test_open_now_closes_at_four():
    assert text_at(office("08:00-16:00"), "2026-12-07 10:00") == "auki nyt, sulkeutuu klo 16"


def test_lunch_break_between_two_ranges():
    hours = office("08:00-11:00", "12:00-16:00")
    assert text_at(hours, "2026-12-07 10:59") == "auki nyt, sulkeutuu klo 11"
    assert text_at(hours, "2026-12-07 11:00") == "suljettu, avautuu klo 12"
    assert text_at(hours, "2026-12-07 12:00") == "auki nyt, sulkeutuu klo 16"


def test_closed_on_friday_evening_opens_monday():
    assert text_at(office("08:00-16:00"), "2026-12-11 16:00") == "suljettu, avautuu ma klo 8"


def test_half_hours_are_written_with_a_dot():
    assert text_at(office("08:30-15:45"), "2026-12-07 07:00") == "suljettu, avautuu klo 8.30"
    assert text_at(office("08:30-15:45"), "2026-12-07 09:00") == "auki nyt, sulkeutuu klo 15.45"


def test_public_holiday_closed_by_default_and_open_when_said():
    # 6 December 2027 is a Monday (Independence Day).
    assert text_at(office("08:00-16:00"), "2027-12-06 10:00") == "suljettu, avautuu ti klo 8"
    assert (
        text_at(office("08:00-16:00", public_holidays="open"), "2027-12-06 10:00")
        == "auki nyt, sulkeutuu klo 16"
    )


def test_exception_wins_over_holiday_and_weekly_hours():
    hours = office(
        "08:00-16:00",
        exceptions=[
            {"from": "2026-12-21", "to": "2026-12-23", "closed": True},
            {"from": "2026-12-24", "hours": ["09:00-12:00"]},  # a holiday, open by exception
        ],
    )
    assert text_at(hours, "2026-12-21 10:00") == "suljettu, avautuu to klo 9"
    assert text_at(hours, "2026-12-24 10:00") == "auki nyt, sulkeutuu klo 12"
    # 25–26 Dec holidays, 27 Sunday: next Monday.
    assert text_at(hours, "2026-12-24 12:00") == "suljettu, avautuu ma klo 8"


def test_dated_period_overrides_the_regular_hours():
    hours = {
        "weekly": [
            {"days": {d: ["08:00-16:00"] for d in WEEKDAYS}},
            {"from": "2026-06-01", "to": "2026-08-31", "days": {"mon": ["10:00-12:00"]}},
        ]
    }
    assert text_at(hours, "2026-07-06 09:00") == "suljettu, avautuu klo 10"
    assert text_at(hours, "2026-07-07 09:00") == "suljettu, avautuu ma klo 10"
    assert text_at(hours, "2026-09-01 09:00") == "auki nyt, sulkeutuu klo 16"


def test_around_the_clock():
    hours = {"weekly": [{"days": {d: ["00:00-24:00"] for d in oh.DAYS}}], "public_holidays": "open"}
    assert text_at(hours, "2026-12-24 03:00") == "auki nyt, ympäri vuorokauden"


def test_range_past_midnight_closes_the_next_day():
    hours = {"weekly": [{"days": {"fri": ["22:00-02:00"]}}]}
    assert text_at(hours, "2026-12-11 23:00") == "auki nyt, sulkeutuu la klo 2"
    assert text_at(hours, "2026-12-12 01:00") == "auki nyt, sulkeutuu klo 2"
    assert text_at(hours, "2026-12-12 02:00") == "suljettu, avautuu pe klo 22"


def test_opens_more_than_a_week_ahead_shows_the_date():
    hours = office(
        "08:00-16:00", exceptions=[{"from": "2026-07-01", "to": "2026-07-31", "closed": True}]
    )
    assert text_at(hours, "2026-07-01 10:00") == "suljettu, avautuu 3.8. klo 8"


def test_never_opens_again():
    hours = {"weekly": [{"to": "2026-01-31", "days": {"mon": ["08:00-16:00"]}}]}
    assert text_at(hours, "2026-12-07 10:00") == "suljettu"


def test_no_structured_hours_no_status():
    assert status({}, at("2026-12-07 10:00")) is None
    assert status(None, at("2026-12-07 10:00")) is None


# --- Daylight saving (Helsinki: +02 → +03 on 29 March 2026 at 03:00, back on 25 Oct) -----


def test_spring_forward_night_range_is_an_hour_shorter():
    hours = {"weekly": [{"days": {"sat": ["22:00-06:00"]}}]}
    (start, end), *_ = oh._intervals(hours, datetime.date(2026, 3, 28), 1)
    assert end - start == datetime.timedelta(hours=7)
    assert text_at(hours, "2026-03-29 02:30") == "auki nyt, sulkeutuu klo 6"


def test_autumn_back_night_range_is_an_hour_longer():
    hours = {"weekly": [{"days": {"sat": ["22:00-06:00"]}}]}
    (start, end), *_ = oh._intervals(hours, datetime.date(2026, 10, 24), 1)
    assert end - start == datetime.timedelta(hours=9)


def test_a_time_in_the_spring_gap_counts_as_four():
    hours = {"weekly": [{"days": {"sun": ["03:30-05:00"]}}]}
    state = status(hours, at("2026-03-29 01:00"))
    assert state is not None and state.opens_at is not None
    assert (state.opens_at.hour, state.opens_at.minute) == (4, 0)


def test_closing_time_after_the_change_is_shown_in_local_time():
    hours = {"weekly": [{"days": {"sun": ["00:00-10:00"]}}]}
    state = status(hours, at("2026-10-25 01:00"))
    assert state is not None and state.is_open
    assert state.closes_at == at("2026-10-25 10:00")
    assert state.closes_at.utcoffset() == datetime.timedelta(hours=2)


minutes = st.integers(min_value=0, max_value=24 * 60 - 1).map(lambda m: m - m % 15)


@st.composite
def weekly_hours(draw):
    days = {}
    for day in oh.DAYS:
        ranges = []
        for _ in range(draw(st.integers(min_value=0, max_value=2))):
            start = draw(minutes)
            length = draw(st.integers(min_value=1, max_value=20 * 4)) * 15
            end = (start + length) % (24 * 60)
            end_text = "24:00" if end == 0 and start + length == 24 * 60 else None
            h1, m1 = divmod(start, 60)
            h2, m2 = divmod(end, 60)
            ranges.append(f"{h1:02d}:{m1:02d}-" + (end_text or f"{h2:02d}:{m2:02d}"))
        if ranges:
            days[day] = ranges
    value = {"weekly": [{"days": days or {"mon": ["08:00-16:00"]}}]}
    if draw(st.booleans()):
        value["public_holidays"] = "open"
    if draw(st.booleans()):
        start = datetime.date(2026, 3, 20) + datetime.timedelta(days=draw(st.integers(0, 14)))
        value["exceptions"] = [
            {"from": start.isoformat(), "closed": True}
            if draw(st.booleans())
            else {"from": start.isoformat(), "hours": ["10:00-11:00"]}
        ]
    assert validate(value) == []
    return value


# Around both changes of 2026, and an ordinary week.
moments = st.sampled_from(
    [
        datetime.datetime(2026, 3, 27),
        datetime.datetime(2026, 10, 23),
        datetime.datetime(2026, 12, 4),
    ]
).flatmap(
    lambda day: st.integers(min_value=0, max_value=4 * 24 * 4).map(
        lambda q: day.replace(tzinfo=HELSINKI) + datetime.timedelta(minutes=15 * q)
    )
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(weekly_hours(), moments)
def test_status_agrees_with_a_minute_walk(hours, now):
    """``status`` against ``is_open_at`` probed minute by minute (in UTC, so an hour
    that does not exist or occurs twice in Helsinki is walked as it really passes)."""
    now = now.astimezone(datetime.UTC)  # aware arithmetic below is then real time
    state = status(hours, now)
    assert state is not None
    assert state.is_open == oh.is_open_at(hours, now)
    closes_at = state.closes_at and state.closes_at.astimezone(datetime.UTC)
    opens_at = state.opens_at and state.opens_at.astimezone(datetime.UTC)
    minute = datetime.timedelta(minutes=1)
    if state.is_open:
        if closes_at is None:  # open for more than a week from now
            assert all(oh.is_open_at(hours, now + i * 60 * minute) for i in range(7 * 24))
            return
        assert closes_at > now
        assert oh.is_open_at(hours, closes_at - minute)
        assert not oh.is_open_at(hours, closes_at)
        probe = now
        while probe < closes_at:
            assert oh.is_open_at(hours, probe), probe
            probe += 15 * minute
    else:
        if opens_at is None:
            return
        assert opens_at > now
        assert oh.is_open_at(hours, opens_at)
        probe = now
        while probe < opens_at:
            assert not oh.is_open_at(hours, probe), probe
            probe += 15 * minute


# --- The value ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ([], "opening_hours: expected an object"),
        ({"weekly": [{"days": {"mon": ["25:00-26:00"]}}]}, "invalid time range '25:00-26:00'"),
        ({"weekly": [{"days": {"mon": ["08:00-08:00"]}}]}, None),  # 24 h from 8: valid
        ({"weekly": [{"days": {"mon": ["08:60-09:00"]}}]}, "invalid time range"),
        ({"weekly": [{"from": "2026-02-30", "days": {}}]}, "expected an ISO date"),
        ({"exceptions": [{"to": "2026-01-01", "closed": True}]}, "exceptions[0].from: missing"),
        (
            {"exceptions": [{"from": "2026-01-01", "closed": True, "hours": ["08:00-09:00"]}]},
            "a closed day has no hours",
        ),
        ({"public_holidays": "maybe"}, 'expected "open" or "closed"'),
        ({"weekly": {"mon": []}}, "opening_hours.weekly: expected a list"),
        ({"hours": []}, "opening_hours.hours: unknown field"),
        ({"weekly": [{"days": {"mon": ["08:00-09:00"] * 9}}]}, "more than 8 ranges"),
    ],
)
def test_validate_names_the_path(value, error):
    errors = validate(value)
    if error is None:
        assert errors == []
    else:
        assert any(error in e for e in errors), errors


# --- The editors' syntax ------------------------------------------------------------------


def test_parse_text_full_example():
    value = parse_text(
        "ma-pe 8-11, 12-16; la 10-14\n"
        "1.6.2026-31.8.2026: ma-pe 9-15\n"
        "24.12.2026-26.12.2026 suljettu; 31.12.2026 9-12\n"
        "pyhäpäivinä auki"
    )
    assert value == {
        "weekly": [
            {
                "days": {
                    **{d: ["08:00-11:00", "12:00-16:00"] for d in WEEKDAYS},
                    "sat": ["10:00-14:00"],
                }
            },
            {
                "from": "2026-06-01",
                "to": "2026-08-31",
                "days": {d: ["09:00-15:00"] for d in WEEKDAYS},
            },
        ],
        "exceptions": [
            {"from": "2026-12-24", "to": "2026-12-26", "closed": True},
            {"from": "2026-12-31", "hours": ["09:00-12:00"]},
        ],
        "public_holidays": "open",
    }
    assert parse_text(to_text(value)) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ma–pe 9–12", {"weekly": [{"days": {d: ["09:00-12:00"] for d in WEEKDAYS}}]}),
        (
            "ma, ke 8.30-16",
            {"weekly": [{"days": {"mon": ["08:30-16:00"], "wed": ["08:30-16:00"]}}]},
        ),
        (
            "la-ma 10:00-12:00",
            {"weekly": [{"days": {d: ["10:00-12:00"] for d in ("mon", "sat", "sun")}}]},
        ),
        ("pe klo 22-2", {"weekly": [{"days": {"fri": ["22:00-02:00"]}}]}),
        (
            "24h; pyhäpäivinä auki",
            {
                "weekly": [{"days": {d: ["00:00-24:00"] for d in oh.DAYS}}],
                "public_holidays": "open",
            },
        ),
        ("ti 9-11 ja 12-14", {"weekly": [{"days": {"tue": ["09:00-11:00", "12:00-14:00"]}}]}),
        ("", {}),
        ("  ;\n ", {}),
    ],
)
def test_parse_text_variants(text, expected):
    assert parse_text(text) == expected
    assert parse_text(to_text(expected)) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("ma-pe 8-16x", "”ma-pe 8-16x”"),
        ("maanantai 8-16", "aloita viikonpäivällä"),
        ("31.2.2026 suljettu", "päivämäärää 31.2.2026 ei ole"),
        ("ma 8-25", "kellonaika ”8-25” ei käy"),
        ("ma-pe", "aloita viikonpäivällä"),
        ("31.12.2026-1.12.2026 suljettu", "loppupäivä on ennen alkupäivää"),
    ],
)
def test_parse_text_errors_name_the_clause(text, fragment):
    with translation.override("fi"), pytest.raises(OpeningHoursSyntaxError) as exc:
        parse_text(text)
    assert fragment in str(exc.value)


@settings(max_examples=100, deadline=None)
@given(weekly_hours())
def test_text_round_trip_keeps_the_canonical_value(hours):
    canonical = oh.canonical(hours)
    assert parse_text(to_text(canonical)) == canonical
